using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the lease suite (2 s TTLs).</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreLeaseConformanceTests(EtcdServerFixture etcd) : KvStoreLeaseConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override Task StopKeepAliveAsync(ILease lease)
    {
        ((EtcdLease)lease).StopKeepAlive();
        return Task.CompletedTask;
    }

    protected override Task RevokeBehindOwnersBackAsync(ILease lease) =>
        ((EtcdKvStore)Store).RevokeAsync(((EtcdLease)lease).NumericId, CancellationToken.None);
}
