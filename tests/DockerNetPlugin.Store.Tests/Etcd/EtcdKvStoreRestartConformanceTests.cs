using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the restart suite: etcd restarted on its data.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreRestartConformanceTests(EtcdServerFixture etcd) : KvStoreRestartConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override async Task<IKvStore> RestartAsync()
    {
        await etcd.RestartAsync();
        return Store;
    }
}
