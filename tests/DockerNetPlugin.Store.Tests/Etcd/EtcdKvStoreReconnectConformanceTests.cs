using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the reconnect suite: etcd restarted under a running client and watch.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreReconnectConformanceTests(EtcdServerFixture etcd) : KvStoreReconnectConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override Task RestartServerAsync() => etcd.RestartAsync();
}
