using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// Builds the one long-lived handler of a Consul store: unix sockets, the cluster CA as the only trust root,
/// an optional client certificate and an expected server name that may differ from the dialled host (kv.md §1.1).
/// </summary>
internal static class ConsulHandlerFactory
{
    public static SocketsHttpHandler Create(ConsulOptions options)
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
        if (options.ClientCertFile is not null && options.ClientKeyFile is not null)
            handler.SslOptions.ClientCertificates = [LoadClientCertificate(options.ClientCertFile, options.ClientKeyFile)];
        if (options.CaCertFile is not null || options.TlsServerName is not null || !options.VerifyServerCertificate)
        {
            var roots = options.CaCertFile is null ? null : LoadCa(options.CaCertFile);
            handler.SslOptions.TargetHost = options.TlsServerName;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateServer(options, roots, certificate as X509Certificate2, errors);
        }
        return handler;
    }

    private static bool ValidateServer(ConsulOptions options, X509Certificate2Collection? roots, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (!options.VerifyServerCertificate)
            return true;
        if (certificate is null)
            return false;
        if (roots is null)
            return errors == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
            return false;
        // Name check: TargetHost (the TLS server name, or the dialled host) was checked by SslStream.
        return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
                throw new StoreException($"CONSUL_CACERT '{path}' holds no PEM certificate");
            return roots;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new StoreException($"CONSUL_CACERT '{path}' cannot be loaded: {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadClientCertificate(string certPath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // Export/import gives a certificate whose key SslStream can use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new StoreException($"CONSUL_CLIENT_CERT '{certPath}' / CONSUL_CLIENT_KEY '{keyPath}' cannot be loaded: {e.Message}", e);
        }
    }
}
