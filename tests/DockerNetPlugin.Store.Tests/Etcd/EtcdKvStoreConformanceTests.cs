using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the core suite, on a real etcd (plain HTTP; the TLS run derives from this).</summary>
[Collection(EtcdCollection.Name)]
public class EtcdKvStoreConformanceTests : KvStoreConformanceTests
{
    private readonly Func<Task<IKvStore>> _open;

    public EtcdKvStoreConformanceTests(EtcdServerFixture etcd)
        : this(() => EtcdTestStores.ConnectAsync(etcd))
    {
    }

    private protected EtcdKvStoreConformanceTests(Func<Task<IKvStore>> open) => _open = open;

    /// <summary>etcd itself keeps a slow watcher's backlog (its catch-up path), so no resync is needed.</summary>
    protected override bool SlowConsumerGetsResync => false;

    protected override bool ResumesExactly => true;

    protected override Task<IKvStore> CreateStoreAsync() => _open();
}
