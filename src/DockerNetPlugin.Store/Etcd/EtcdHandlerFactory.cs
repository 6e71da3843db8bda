using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>Builds the one HTTP handler of an etcd client: pooled connections, and TLS with the cluster CA and an optional client certificate.</summary>
internal static class EtcdHandlerFactory
{
    public static SocketsHttpHandler Create(EtcdOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = 64,
        };
        if (options.ClientCertFile is not null)
        {
            var cert = X509Certificate2.CreateFromPemFile(options.ClientCertFile, options.ClientKeyFile);
            handler.SslOptions.ClientCertificates = [cert];
        }
        if (options.CaCertFile is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaCertFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }
        return handler;
    }
}
