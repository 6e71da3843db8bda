using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the core suite, on a real etcd (plain HTTP; the TLS run derives from this).</summary>
[Collection(EtcdCollection.Name)]
public class EtcdKvStoreConformanceTests : KvStoreConformanceTests
{
    private readonly LoopbackEtcd _server;
    private readonly Func<Task<IKvStore>> _open;

    public EtcdKvStoreConformanceTests(EtcdServerFixture etcd)
        : this(etcd, () => EtcdTestStores.ConnectAsync(etcd))
    {
    }

    private protected EtcdKvStoreConformanceTests(LoopbackEtcd server, Func<Task<IKvStore>> open)
    {
        _server = server;
        _open = open;
    }

    /// <summary>etcd itself keeps a slow watcher's backlog (its catch-up path), so no resync is needed.</summary>
    protected override bool SlowConsumerGetsResync => false;

    protected override bool ResumesExactly => true;

    /// <summary>
    /// Enough to overflow what sockets, the gateway and gRPC buffer (about 5-8 MB and 128 pending events on this
    /// etcd 3.4; measured), so etcd moves the watcher to its slow path: 16 MB in 1000 events.
    /// </summary>
    protected override int SlowConsumerWrites => 1000;

    protected override int SlowConsumerValueBytes => 16 * 1024;

    protected override Task<IKvStore> CreateStoreAsync() => _open();

    /// <summary>The paused watcher must really be behind: etcd counts it as a slow (unsynced) watcher until it reads again.</summary>
    protected override Task WhileConsumerPausedAsync() =>
        EventuallyAsync(async () => await _server.MetricAsync("etcd_debugging_mvcc_slow_watcher_total") > 0,
            "etcd reports the paused watcher as slow (else the test did not exercise its catch-up path)");
}
