using System.Collections;
using System.Globalization;

namespace DockerNetPlugin.Engine;

/// <summary>
/// Where a Docker Engine listens: a unix socket path or a TCP host and port.
/// Parsed from the usual <c>unix:///path</c> and <c>tcp://host:port</c> forms.
/// </summary>
public sealed record DockerEndpoint
{
    /// <summary>The Engine's conventional socket when nothing else is configured.</summary>
    public const string DefaultUri = "unix:///var/run/docker.sock";

    /// <summary>The port a <c>tcp://host</c> endpoint without one uses (the docker CLI's default).</summary>
    public const int DefaultTcpPort = 2375;

    private DockerEndpoint(string uri, string? socketPath, string? host, int port)
    {
        Uri = uri;
        SocketPath = socketPath;
        Host = host;
        Port = port;
    }

    /// <summary>The endpoint as given, e.g. <c>unix:///run/h1/docker.sock</c>.</summary>
    public string Uri { get; }

    /// <summary>The unix socket path, or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>The TCP host, or null for a unix socket.</summary>
    public string? Host { get; }

    /// <summary>The TCP port (0 for a unix socket).</summary>
    public int Port { get; }

    /// <summary>True when the endpoint is a unix socket.</summary>
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>Parses <c>unix:///path</c>, <c>tcp://host:port</c> or a bare absolute socket path.</summary>
    /// <exception cref="ArgumentException">The value is empty or uses another scheme.</exception>
    public static DockerEndpoint Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var text = value.Trim();
        if (text.StartsWith('/'))
        {
            return new DockerEndpoint("unix://" + text, text, null, 0);
        }

        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            if (!path.StartsWith('/'))
            {
                throw new ArgumentException($"Docker endpoint '{value}': a unix socket needs an absolute path (unix:///path/docker.sock).", nameof(value));
            }

            return new DockerEndpoint(text, path, null, 0);
        }

        if (text.StartsWith("tcp://", StringComparison.Ordinal) || text.StartsWith("http://", StringComparison.Ordinal))
        {
            var authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            if (!System.Uri.TryCreate("http://" + authority, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.AbsolutePath != "/")
            {
                throw new ArgumentException($"Docker endpoint '{value}': expected tcp://host:port.", nameof(value));
            }

            // Like the docker CLI, a missing port means 2375.
            var port = authority.Contains(':', StringComparison.Ordinal) && !authority.EndsWith(']') ? uri.Port : DefaultTcpPort;
            return new DockerEndpoint(text, null, uri.Host, port);
        }

        throw new ArgumentException($"Docker endpoint '{value}': unsupported scheme; use unix:///path or tcp://host:port.", nameof(value));
    }

    /// <summary>
    /// Chooses the endpoint from <c>DNP_DOCKER_HOST</c>, else <c>DOCKER_HOST</c>, else
    /// <see cref="DefaultUri"/>. Pass <see cref="Environment.GetEnvironmentVariables()"/> or a test dictionary.
    /// </summary>
    public static DockerEndpoint FromEnvironment(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in new[] { "DNP_DOCKER_HOST", "DOCKER_HOST" })
        {
            if (environment.Contains(name) && Convert.ToString(environment[name], CultureInfo.InvariantCulture) is { Length: > 0 } value
                && !string.IsNullOrWhiteSpace(value))
            {
                return Parse(value);
            }
        }

        return Parse(DefaultUri);
    }

    /// <summary>Same as <see cref="FromEnvironment(IDictionary)"/> over this process's environment.</summary>
    public static DockerEndpoint FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariables());

    /// <inheritdoc/>
    public override string ToString() => Uri;
}
