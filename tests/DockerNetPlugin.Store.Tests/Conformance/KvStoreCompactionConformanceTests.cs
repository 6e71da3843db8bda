using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>A watch asked to resume from history that is gone must resync, not miss deletes (kv.md §4.9 item 16).</summary>
public abstract class KvStoreCompactionConformanceTests : KvStoreTestBase
{
    /// <summary>Discards the backend's event history up to the current revision (etcd compaction).</summary>
    protected abstract Task CompactAsync();

    [Fact]
    public async Task WatchPrefixAsync_FromCompactedRevision_ResyncsWithCurrentStateAndContinues()
    {
        var old = await Store.ListAsync(K("w/"), Ct);
        await Store.PutAsync(K("w/a"), Bytes("1"), null, Ct);
        await Store.PutAsync(K("w/b"), Bytes("1"), null, Ct);
        await Store.DeleteAsync(K("w/a"), Ct);
        await CompactAsync();

        await using var probe = Watch(K("w/"), old.Revision);

        var resync = await probe.UntilEventAsync<KvResync>(_ => true, "the resync after compaction");
        Assert.Equal([K("w/b")], resync.Snapshot.Entries.Select(e => e.Key).ToArray());
        await Store.PutAsync(K("w/c"), Bytes("after"), null, Ct);
        await probe.UntilAsync(s => s.ContainsKey(K("w/c")), "a write after the resync");
        Assert.False(probe.State.ContainsKey(K("w/a")));
    }
}
