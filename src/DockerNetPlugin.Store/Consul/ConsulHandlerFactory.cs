using System.Net.Sockets;
using DockerNetPlugin.Store.Tls;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// Builds the one long-lived handler of a Consul store: unix sockets, the cluster CA as the only trust root,
/// an optional client certificate and an expected server name that may differ from the dialled host (kv.md §1.1).
/// </summary>
internal static class ConsulHandlerFactory
{
    /// <summary>The handler, and the TLS client that explains handshake failures (null for plain http and unix sockets).</summary>
    public static (SocketsHttpHandler Handler, StoreTlsClient? Tls) Create(ConsulOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout,
            UseProxy = false,
            // Every blocking watch holds one connection; Consul allows 200 per client IP by default.
            MaxConnectionsPerServer = 64,
        };
        if (options.Address.Scheme == "unix")
        {
            var path = options.Address.AbsolutePath;
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        if (options.Address.Scheme != Uri.UriSchemeHttps)
            return (handler, null);
        try
        {
            var tls = new StoreTlsClient(
                new TlsFileSettings(options.CaCertFile, "CONSUL_CACERT", options.ClientCertFile, "CONSUL_CLIENT_CERT", options.ClientKeyFile, "CONSUL_CLIENT_KEY"),
                options.VerifyServerCertificate);
            tls.Apply(handler, options.TlsServerName);
            return (handler, tls);
        }
        catch
        {
            handler.Dispose();
            throw;
        }
    }
}
