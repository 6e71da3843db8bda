using DockerNetPlugin.Store.Tls;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>Builds the one HTTP handler of an etcd client: pooled connections, and for https endpoints TLS with the cluster CA and an optional client certificate.</summary>
internal static class EtcdHandlerFactory
{
    /// <summary>How etcd's TLS files are named in errors: the DNP_STORE query option and its environment variable.</summary>
    private static TlsFileSettings Files(EtcdOptions options) => new(
        options.CaCertFile, "etcd CA file (cacert= / DNP_ETCD_CACERT)",
        options.ClientCertFile, "etcd client certificate (cert= / DNP_ETCD_CERT)",
        options.ClientKeyFile, "etcd client key (key= / DNP_ETCD_KEY)");

    /// <summary>The handler, and the TLS client that explains handshake failures (null when no endpoint uses https).</summary>
    public static (SocketsHttpHandler Handler, StoreTlsClient? Tls) Create(EtcdOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = 64,
        };
        var usesTls = options.Endpoints.Any(e => e.Scheme == Uri.UriSchemeHttps);
        if (!usesTls && (options.CaCertFile ?? options.ClientCertFile ?? options.ClientKeyFile) is not null)
        {
            handler.Dispose();
            throw new StoreException($"{options}: TLS files are set but the endpoints are plain http; use etcds:// (or ?tls=1)");
        }
        if (!usesTls)
            return (handler, null);
        try
        {
            var tls = new StoreTlsClient(Files(options));
            tls.Apply(handler);
            return (handler, tls);
        }
        catch
        {
            handler.Dispose();
            throw;
        }
    }
}
