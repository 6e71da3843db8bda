using System.Collections;
using System.Globalization;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Store.Etcd;

namespace DockerNetPlugin.Store;

/// <summary>
/// A parsed <c>DNP_STORE</c> value: <c>file:///DIR</c> (embedded, the default),
/// <c>etcd://H1:2379,H2:2379</c> (<c>etcds://</c>, <c>?tls=1</c> or any CA/client certificate for TLS; PEM files from
/// <c>?cacert=&amp;cert=&amp;key=</c> or <c>DNP_ETCD_CACERT</c>/<c>DNP_ETCD_CERT</c>/<c>DNP_ETCD_KEY</c>;
/// user and password from the URL or <c>DNP_ETCD_USERNAME</c>/<c>DNP_ETCD_PASSWORD</c>, or the password from the file
/// <c>DNP_ETCD_PASSWORD_FILE</c> names), or <c>consul://H:8500</c>.
/// <see cref="ToString"/> is safe to log.
/// </summary>
public sealed class StoreConnection
{
    public const string EnvironmentVariable = "DNP_STORE";
    public const string PasswordFileVariable = "DNP_ETCD_PASSWORD_FILE";
    public const string DefaultValue = "file:///var/lib/dnp";
    public const string ExpectedForms =
        "file:///DIR, etcd://HOST:PORT[,HOST:PORT...] (etcds://...?cacert=&cert=&key= for TLS), or consul://HOST:PORT";

    private StoreConnection(StoreBackend backend, string display)
    {
        Backend = backend;
        Display = display;
    }

    public StoreBackend Backend { get; }

    /// <summary>The embedded store's directory (<see cref="StoreBackend.File"/>).</summary>
    public string? Directory { get; private init; }

    public EtcdOptions? Etcd { get; private init; }

    /// <summary>The consul:// URI as given.</summary>
    public Uri? ConsulUri { get; private init; }

    /// <summary>Consul settings from the URI and the CONSUL_* environment (<see cref="ConsulOptions.FromUriAndEnvironment"/>).</summary>
    public ConsulOptions? Consul { get; private init; }

    private string Display { get; }

    public override string ToString() => Display;

    /// <summary>Reads <c>DNP_STORE</c> from <paramref name="environment"/> (the default when unset or empty).</summary>
    public static StoreConnection FromEnvironment(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Parse(environment[EnvironmentVariable] as string, environment);
    }

    /// <summary>Parses a store URI; throws <see cref="StoreException"/> naming the (redacted) value and the expected forms.</summary>
    public static StoreConnection Parse(string? value, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrWhiteSpace(value))
            value = DefaultValue;
        value = value.Trim();
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
            throw Bad(value, "it has no scheme");
        var scheme = value[..schemeEnd].ToLowerInvariant();
        var rest = value[(schemeEnd + 3)..];
        return scheme switch
        {
            "file" => ParseFile(value, rest),
            "etcd" or "etcds" => ParseEtcd(value, scheme == "etcds", rest, environment),
            "consul" => ParseConsul(value, environment),
            _ => throw Bad(value, $"the scheme '{scheme}' is not a store"),
        };
    }

    private static StoreConnection ParseFile(string value, string rest)
    {
        if (!rest.StartsWith('/'))
            throw Bad(value, "file:// needs an absolute directory, e.g. file:///var/lib/dnp");
        var dir = Uri.UnescapeDataString(rest);
        if (dir.Contains('?', StringComparison.Ordinal) || dir.Contains('#', StringComparison.Ordinal))
            throw Bad(value, "file:// takes no query or fragment");
        return new StoreConnection(StoreBackend.File, $"file://{dir}") { Directory = dir };
    }

    private static StoreConnection ParseEtcd(string value, bool etcds, string rest, IDictionary env)
    {
        bool? tls = etcds ? true : null;
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (rest[slash..] != "/")
                throw Bad(value, "etcd:// takes no path (keys live under a fixed root)");
            rest = rest[..slash];
        }
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }
        string? caCert = null, cert = null, key = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var v = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (name)
            {
                case "tls":
                    tls = v is "" or "1" or "true" or "yes" || (v is "0" or "false" or "no" ? false : throw Bad(value, $"tls={v} is not a boolean"));
                    if (etcds && tls == false)
                        throw Bad(value, "etcds:// always uses TLS; tls=0 contradicts it");
                    break;
                case "cacert":
                    caCert = v;
                    break;
                case "cert":
                    cert = v;
                    break;
                case "key":
                    key = v;
                    break;
                default:
                    throw Bad(value, $"unknown option '{name}' (known: tls, cacert, cert, key)");
            }
        }
        user ??= env["DNP_ETCD_USERNAME"] as string;
        password ??= NonEmpty(env["DNP_ETCD_PASSWORD"] as string) is null ? ReadPasswordFile(value, env) : env["DNP_ETCD_PASSWORD"] as string;
        if (string.IsNullOrEmpty(user))
            user = null;
        caCert = NonEmpty(caCert) ?? NonEmpty(env["DNP_ETCD_CACERT"] as string);
        cert = NonEmpty(cert) ?? NonEmpty(env["DNP_ETCD_CERT"] as string);
        key = NonEmpty(key) ?? NonEmpty(env["DNP_ETCD_KEY"] as string);
        if ((cert is null) != (key is null))
            throw Bad(value, "a client certificate needs its key: give cert= and key= (or DNP_ETCD_CERT and DNP_ETCD_KEY) together");
        var hasTlsFiles = caCert is not null || cert is not null;
        if (tls == false && hasTlsFiles)
            throw Bad(value, "tls=0 contradicts the CA or client certificate given (cacert=, cert=, DNP_ETCD_CACERT, DNP_ETCD_CERT)");
        var endpoints = new List<Uri>();
        foreach (var host in rest.Split(',', StringSplitOptions.TrimEntries))
            endpoints.Add(ParseEndpoint(value, host, (tls ?? hasTlsFiles) ? "https" : "http"));
        var options = new EtcdOptions
        {
            Endpoints = endpoints,
            Username = user,
            Password = user is null ? null : password ?? "",
            CaCertFile = caCert,
            ClientCertFile = cert,
            ClientKeyFile = key,
        };
        return new StoreConnection(StoreBackend.Etcd, options.ToString()) { Etcd = options };
    }

    private static Uri ParseEndpoint(string value, string host, string scheme)
    {
        if (host.Length == 0)
            throw Bad(value, "an etcd endpoint is empty");
        string name;
        string? port;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                throw Bad(value, $"endpoint '{host}' has an unclosed IPv6 bracket");
            name = host[..(close + 1)];
            var after = host[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
                throw Bad(value, $"endpoint '{host}' is not [IPV6]:PORT");
            port = after.Length > 0 ? after[1..] : null;
        }
        else
        {
            var colon = host.LastIndexOf(':');
            name = colon < 0 ? host : host[..colon];
            port = colon < 0 ? null : host[(colon + 1)..];
        }
        var number = EtcdOptions.DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
            throw Bad(value, $"endpoint '{host}' has an invalid port");
        if (name.Length == 0 || Uri.CheckHostName(name.Trim('[', ']')) == UriHostNameType.Unknown)
            throw Bad(value, $"endpoint '{host}' has an invalid host");
        return new Uri($"{scheme}://{name}:{number.ToString(CultureInfo.InvariantCulture)}");
    }

    private static StoreConnection ParseConsul(string value, IDictionary env)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw Bad(value, "consul:// needs HOST[:PORT]");
        ConsulOptions options;
        try
        {
            options = ConsulOptions.FromUriAndEnvironment(uri, env);
        }
        catch (ArgumentException e)
        {
            throw Bad(value, e.Message);
        }
        return new StoreConnection(StoreBackend.Consul, options.ToString()) { ConsulUri = uri, Consul = options };
    }

    /// <summary>
    /// <c>DNP_ETCD_PASSWORD_FILE</c>: the password from a file (a Docker secret, a 0600 file), so it shows neither in
    /// <c>docker plugin inspect</c> nor in the environment. One trailing newline is dropped; the rest is the password.
    /// </summary>
    private static string? ReadPasswordFile(string value, IDictionary env)
    {
        if (NonEmpty(env[PasswordFileVariable] as string) is not { } path)
            return null;
        try
        {
            var text = File.ReadAllText(path);
            text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
            return text.Length == 0 ? throw Bad(value, $"{PasswordFileVariable} '{path}' is empty") : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(value, $"{PasswordFileVariable} '{path}' cannot be read ({e.GetType().Name})");
        }
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static StoreException Bad(string value, string why) =>
        new($"DNP_STORE='{Redact(value)}' is not a valid store: {why}. Expected {ExpectedForms}");

    /// <summary>
    /// A store URI fit for logs and error messages: the password in its user info (<c>etcd://user:pass@h</c>) becomes
    /// <c>***</c>. Use it wherever a raw <c>DNP_STORE</c> value would be shown; <see cref="ToString"/> of a parsed
    /// connection is safe as well.
    /// </summary>
    public static string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var at = value.LastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd)
            return value;
        var userInfo = value[(schemeEnd + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        // Without a colon the whole user info may be a token (consul://TOKEN@h): hide it all.
        return colon < 0 ? value[..(schemeEnd + 3)] + "***" + value[at..] : value[..(schemeEnd + 3)] + userInfo[..colon] + ":***" + value[at..];
    }
}
