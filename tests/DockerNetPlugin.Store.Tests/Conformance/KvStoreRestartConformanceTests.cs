using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>Durability across a restart of the server or the embedded store (kv.md §4.9 item 3 "across a restart").</summary>
public abstract class KvStoreRestartConformanceTests : KvStoreTestBase
{
    /// <summary>Restarts the server (or closes and reopens the embedded store) keeping its data; returns the store to use from now on.</summary>
    protected abstract Task<IKvStore> RestartAsync();

    [Fact]
    public async Task RestartAsync_DataAndRevision_Survive()
    {
        await Store.PutAsync(K("a"), Bytes("1"), null, Ct);
        await Store.PutAsync(K("b"), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), null, Ct);
        await Store.DeleteAsync(K("a"), Ct);
        var before = await Store.ListAsync(Prefix, Ct);

        Store = await RestartAsync();

        var after = await Store.ListAsync(Prefix, Ct);
        Assert.Equal(before.Entries.Select(e => (e.Key, e.Version, e.CreateVersion)), after.Entries.Select(e => (e.Key, e.Version, e.CreateVersion)));
        Assert.Equal(before.Entries[0].Value.ToArray(), after.Entries[0].Value.ToArray());
        Assert.True(after.Revision >= before.Revision, $"revision went back from {before.Revision} to {after.Revision}");
    }

    [Fact]
    public async Task RestartAsync_DeleteAndRecreateAfterwards_NoVersionIsReused()
    {
        var v1 = await Store.PutAsync(K("k"), Bytes("before"), null, Ct);
        await Store.DeleteAsync(K("k"), Ct);

        Store = await RestartAsync();
        var v2 = await Store.PutAsync(K("k"), Bytes("after"), null, Ct);

        Assert.True(v2 > v1, $"version {v2} after restart is not above {v1} from before (ABA)");
        Assert.False((await Store.CompareAndSetAsync(K("k"), Bytes("stale"), v1, null, Ct)).Succeeded);
    }
}
