using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the unavailable suite: a port where nothing listens.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreUnavailableConformanceTests(EtcdServerFixture etcd) : KvStoreUnavailableConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override Task<IKvStore> CreateUnreachableStoreAsync() => EtcdTestStores.ConnectUnreachableAsync();
}
