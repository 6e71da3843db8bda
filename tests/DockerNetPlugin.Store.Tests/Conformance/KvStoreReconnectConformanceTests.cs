using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// A remote server goes away and comes back while the same client keeps running (kv.md §4.9 item 15):
/// calls work again and a running watch continues without losing anything.
/// </summary>
public abstract class KvStoreReconnectConformanceTests : KvStoreTestBase
{
    /// <summary>Stops the server, then starts it again with its data; the client object is kept.</summary>
    protected abstract Task RestartServerAsync();

    [Fact]
    public async Task WatchPrefixAsync_ServerRestartedMidWatch_ContinuesAndMissesNothing()
    {
        var snapshot = await Store.ListAsync(K("w/"), Ct);
        await using var probe = Watch(K("w/"), snapshot.Revision);
        await Store.PutAsync(K("w/before"), Bytes("1"), null, Ct);
        await probe.UntilAsync(s => s.ContainsKey(K("w/before")), "the write before the restart");

        await RestartServerAsync();
        await Store.PutAsync(K("w/after"), Bytes("2"), null, Ct);
        await Store.DeleteAsync(K("w/before"), Ct);
        await Store.PutAsync(K("w/zz-done"), Bytes("3"), null, Ct);

        await probe.UntilAsync(s => s.ContainsKey(K("w/zz-done")), "the writes after the restart");
        var final = await Store.ListAsync(K("w/"), Ct);
        Assert.Equal(final.Entries.Select(e => (e.Key, e.Version)), probe.State.Values.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Version)));
    }

    [Fact]
    public async Task GetAsync_AfterServerRestart_WorksAgain()
    {
        await Store.PutAsync(K("k"), Bytes("v"), null, Ct);

        await RestartServerAsync();

        Assert.Equal("v", Text(await Store.GetAsync(K("k"), Ct)));
        Assert.True((await Store.CheckHealthAsync(Ct)).Healthy);
    }
}
