using System.Collections;
using System.Globalization;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// How to reach Consul (kv.md §1.1). Built from a <c>consul://host:port[?dc=name]</c> store URI plus the
/// variables the official Consul CLI uses, so operators find familiar names. The token is never part of
/// <see cref="ToString"/>, logs or exception text.
/// </summary>
public sealed class ConsulOptions
{
    /// <summary>Default agent address when neither the URI nor CONSUL_HTTP_ADDR names one.</summary>
    public const string DefaultAddress = "127.0.0.1:8500";

    /// <summary><c>http://host:port</c>, <c>https://host:port</c> or <c>unix:///path/to/socket</c>.</summary>
    public required Uri Address { get; init; }

    /// <summary>ACL token sent as <c>X-Consul-Token</c>; null = the agent's default token.</summary>
    public string? Token { get; init; }

    /// <summary>Datacenter sent as <c>?dc=</c>; null = the agent's own.</summary>
    public string? Datacenter { get; init; }

    /// <summary>PEM file of the cluster CA that signs the server certificate (CONSUL_CACERT).</summary>
    public string? CaCertFile { get; init; }

    /// <summary>PEM client certificate (CONSUL_CLIENT_CERT), for servers with <c>verify_incoming</c>.</summary>
    public string? ClientCertFile { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertFile"/> (CONSUL_CLIENT_KEY).</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Expected server name in the certificate when it differs from the dialled host (CONSUL_TLS_SERVER_NAME).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>False only when CONSUL_HTTP_SSL_VERIFY=false: the server certificate is not checked.</summary>
    public bool VerifyServerCertificate { get; init; } = true;

    /// <summary>Timeout of one non-blocking request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Total time an operation keeps retrying transient failures before <see cref="StoreUnavailableException"/>.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>First retry delay (full jitter, doubling up to <see cref="RetryMaxDelay"/>).</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>wait</c> of a blocking watch query (Consul caps it at 10 minutes).</summary>
    public TimeSpan WatchWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Watch rate limit: quick successive queries allowed before throttling (kv.md §1.6 rule 3).</summary>
    public int WatchBurst { get; init; } = 2;

    /// <summary>Watch rate limit: one more query is allowed per interval once the burst is spent.</summary>
    public TimeSpan WatchRefillInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First delay after a failed watch query (full jitter, doubling up to <see cref="WatchErrorMaxDelay"/>).</summary>
    public TimeSpan WatchErrorInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan WatchErrorMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Smallest session TTL the server accepts (Consul: 10 s). Leases are granted at least twice this.</summary>
    public TimeSpan MinSessionTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Name given to the sessions that back leases (visible in the Consul UI).</summary>
    public string SessionName { get; init; } = "dnp";

    /// <summary>The address and datacenter, safe to log.</summary>
    public override string ToString() =>
        Datacenter is null ? $"consul {Address}" : $"consul {Address} (dc {Datacenter})";

    /// <summary>
    /// Options from a <c>consul://host:port[?dc=name]</c> URI and the environment. The URI's host wins over
    /// CONSUL_HTTP_ADDR; with no host (<c>consul://</c>) CONSUL_HTTP_ADDR is used, else 127.0.0.1:8500. Also read:
    /// CONSUL_HTTP_TOKEN (or CONSUL_HTTP_TOKEN_FILE), CONSUL_HTTP_SSL, CONSUL_HTTP_SSL_VERIFY, CONSUL_CACERT,
    /// CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY, CONSUL_TLS_SERVER_NAME, CONSUL_DATACENTER (the URI's <c>dc</c> wins).
    /// Setting a CA or client certificate implies https unless the address says http:// explicitly.
    /// </summary>
    public static ConsulOptions FromUriAndEnvironment(Uri uri, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(environment);
        // First, so that no message below can quote a URI that carries a secret.
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new ArgumentException("store URI must not carry credentials; set CONSUL_HTTP_TOKEN instead", nameof(uri));
        if (!string.Equals(uri.Scheme, "consul", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"store URI '{uri}' is not a consul:// URI", nameof(uri));
        if (uri.AbsolutePath is not ("" or "/"))
            throw new ArgumentException($"store URI '{uri}' has a path; key prefixes are not supported (keys live under '{KeyLayout.Root}/')", nameof(uri));

        string? Env(string name) => environment[name] is string s && s.Trim().Length > 0 ? s.Trim() : null;

        var caCert = Env("CONSUL_CACERT");
        var clientCert = Env("CONSUL_CLIENT_CERT");
        var clientKey = Env("CONSUL_CLIENT_KEY");
        if ((clientCert is null) != (clientKey is null))
            throw new ArgumentException("CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY must be set together");
        var sslFlag = ParseBool(Env("CONSUL_HTTP_SSL"), "CONSUL_HTTP_SSL");
        var tlsWanted = sslFlag ?? (caCert is not null || clientCert is not null);

        var address = !string.IsNullOrEmpty(uri.Host)
            ? ParseAddress(uri.IsDefaultPort ? uri.Host + ":8500" : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}", tlsWanted, "store URI")
            : ParseAddress(Env("CONSUL_HTTP_ADDR") ?? DefaultAddress, tlsWanted, "CONSUL_HTTP_ADDR");

        return new ConsulOptions
        {
            Address = address,
            Token = Env("CONSUL_HTTP_TOKEN") ?? ReadTokenFile(Env("CONSUL_HTTP_TOKEN_FILE")),
            Datacenter = QueryValue(uri, "dc") ?? Env("CONSUL_DATACENTER"),
            CaCertFile = caCert,
            ClientCertFile = clientCert,
            ClientKeyFile = clientKey,
            TlsServerName = Env("CONSUL_TLS_SERVER_NAME"),
            VerifyServerCertificate = ParseBool(Env("CONSUL_HTTP_SSL_VERIFY"), "CONSUL_HTTP_SSL_VERIFY") ?? true,
        };
    }

    private static Uri ParseAddress(string text, bool tlsWanted, string source)
    {
        if (text.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
            return new Uri(text, UriKind.Absolute);
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : (tlsWanted ? "https://" : "http://") + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var address)
            || address.Scheme is not ("http" or "https") || string.IsNullOrEmpty(address.Host))
            throw new ArgumentException($"{source} '{text}' is not a Consul address (host:port, http(s)://host:port or unix:///path)");
        return new Uri(address.GetLeftPart(UriPartial.Authority));
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                continue;
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (value.Length == 0 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw new ArgumentException($"store URI parameter '{name}' has an invalid value '{value}'");
            return value;
        }
        return null;
    }

    private static bool? ParseBool(string? text, string name) => text switch
    {
        null => null,
        _ when text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        _ when text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw new ArgumentException($"{name} must be true or false, not '{text}'"),
    };

    private static string? ReadTokenFile(string? path)
    {
        if (path is null)
            return null;
        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length == 0 ? null : token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"CONSUL_HTTP_TOKEN_FILE '{path}' cannot be read: {e.Message}", e);
        }
    }
}
