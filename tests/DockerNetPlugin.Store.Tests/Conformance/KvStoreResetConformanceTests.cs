using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>The store lost all its data (libnetwork#576/#800): cached versions must fail cleanly and create-only must recover (kv.md §4.9 item 28).</summary>
public abstract class KvStoreResetConformanceTests : KvStoreTestBase
{
    /// <summary>Wipes all data of the backend (a fresh data dir); returns the store to use from now on.</summary>
    protected abstract Task<IKvStore> WipeAsync();

    [Fact]
    public async Task CompareAndSetAsync_CachedVersionAfterWipe_FailsThenCreateOnlyRecovers()
    {
        await Store.PutAsync(K("noise"), Bytes("n"), null, Ct);
        var cached = await Store.PutAsync(K("k"), Bytes("cached"), null, Ct);

        Store = await WipeAsync();

        var stale = await Store.CompareAndSetAsync(K("k"), Bytes("update"), cached, null, Ct);
        Assert.False(stale.Succeeded);
        Assert.Null(stale.Current);
        Assert.False(await Store.CompareAndDeleteAsync(K("k"), cached, Ct));
        var recreated = await Store.CompareAndSetAsync(K("k"), Bytes("recreated"), 0, null, Ct);
        Assert.True(recreated.Succeeded);
        Assert.Equal("recreated", Text(await Store.GetAsync(K("k"), Ct)));
    }
}
