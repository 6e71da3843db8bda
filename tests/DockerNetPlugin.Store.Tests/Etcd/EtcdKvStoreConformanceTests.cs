using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the core suite, on a real etcd.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreConformanceTests(EtcdServerFixture etcd) : KvStoreConformanceTests
{
    /// <summary>etcd itself keeps a slow watcher's backlog (its catch-up path), so no resync is needed.</summary>
    protected override bool SlowConsumerGetsResync => false;

    protected override bool ResumesExactly => true;

    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);
}
