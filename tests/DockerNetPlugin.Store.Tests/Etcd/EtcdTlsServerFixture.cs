using System.Collections;
using DockerNetPlugin.Store.Tests.Tls;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// A real etcd on loopback that speaks only TLS on its client port and requires client certificates
/// (<c>--cert-file --key-file --trusted-ca-file --client-cert-auth</c>), with a throwaway PKI. Both are removed at the end.
/// </summary>
public sealed class EtcdTlsServerFixture : IAsyncLifetime
{
    public TestPki Pki { get; } = new();

    public LoopbackEtcd Etcd { get; private set; } = null!;

    /// <summary>https://127.0.0.1:port</summary>
    public Uri ClientUrl => Etcd.ClientUrl;

    /// <summary>Opens a store as <c>dnp serve</c> does from <c>DNP_STORE=etcds://127.0.0.1:PORT</c> and DNP_ETCD_CACERT/_CERT/_KEY.</summary>
    public Task<IKvStore> OpenFromEnvironmentAsync() => StoreFactory.OpenFromEnvironmentAsync(new Hashtable
    {
        [StoreConnection.EnvironmentVariable] = $"etcds://127.0.0.1:{ClientUrl.Port}",
        ["DNP_ETCD_CACERT"] = Pki.CaFile,
        ["DNP_ETCD_CERT"] = Pki.ClientCertFile,
        ["DNP_ETCD_KEY"] = Pki.ClientKeyFile,
    }, null, CancellationToken.None);

    public Task InitializeAsync()
    {
        Etcd = new LoopbackEtcd { Tls = new LoopbackEtcd.TlsFiles(Pki.ServerCertFile, Pki.ServerKeyFile, Pki.CaFile) };
        return Etcd.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Etcd.StopAndDeleteAsync();
        }
        finally
        {
            Pki.Dispose();
        }
    }
}
