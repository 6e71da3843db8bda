using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>An unreachable server surfaces as <see cref="StoreUnavailableException"/> in bounded time, never a hang (kv.md §4.9 item 26).</summary>
public abstract class KvStoreUnavailableConformanceTests : KvStoreTestBase
{
    /// <summary>A client pointed at an address where nothing listens, with a short retry deadline.</summary>
    protected abstract Task<IKvStore> CreateUnreachableStoreAsync();

    [Fact]
    public async Task AllCalls_ServerUnreachable_ThrowUnavailableNamingTheAddress()
    {
        var store = Track(await CreateUnreachableStoreAsync());

        var calls = new Func<Task>[]
        {
            () => store.GetAsync(K("k"), Ct),
            () => store.ListAsync(Prefix, Ct),
            () => store.PutAsync(K("k"), Bytes("v"), null, Ct),
            () => store.CompareAndSetAsync(K("k"), Bytes("v"), 0, null, Ct),
        };
        foreach (var call in calls)
        {
            var attempt = call();
            var done = await Task.WhenAny(attempt, Task.Delay(Patience * 2));
            Assert.Same(attempt, done);
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => attempt);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
        Assert.False((await store.CheckHealthAsync(Ct)).Healthy);
    }
}
