using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the reset suite: etcd restarted on an empty data dir.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreResetConformanceTests(EtcdServerFixture etcd) : KvStoreResetConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override async Task<IKvStore> WipeAsync()
    {
        await etcd.WipeAsync();
        return Store;
    }
}
