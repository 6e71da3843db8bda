using DockerNetPlugin.Store;
using Xunit.Sdk;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// The slow-consumer check itself: it must catch a silent gap, a stale resync and a key moving backwards, and accept
/// what the contract allows. History of 20 writes: 0-9 put k0-k9, then deletes at 11 (k1), 14 (k4), 17 (k7).
/// </summary>
public sealed class WatchHistoryCheckTests
{
    private readonly WriteHistory _history = new("p/", 20, 8);

    [Fact]
    public void Apply_ExactAndAWriteMissing_FailsAsAGap()
    {
        var check = new WatchHistoryCheck(_history, exact: true);
        check.Apply(Event(0));

        var e = Assert.ThrowsAny<XunitException>(() => check.Apply(Event(2)));

        Assert.Contains("gap", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ExactWithResyncThenTheRest_CatchesUp()
    {
        var check = new WatchHistoryCheck(_history, exact: true);
        check.Apply(Event(0));
        check.Apply(ResyncAfter(12));

        for (var n = 12; n < 20; n++)
            check.Apply(Event(n));

        Assert.True(check.CaughtUp);
        Assert.Equal(1, check.Resyncs);
    }

    [Fact]
    public void Apply_ResyncToAnOlderState_Fails()
    {
        var check = new WatchHistoryCheck(_history, exact: true);
        for (var n = 0; n < 15; n++)
            check.Apply(Event(n));

        Assert.ThrowsAny<XunitException>(() => check.Apply(ResyncAfter(10)));
    }

    [Fact]
    public void Apply_LevelTriggeredSkippingValues_IsAcceptedButGoingBackFails()
    {
        var check = new WatchHistoryCheck(_history, exact: false);
        check.Apply(ResyncAfter(6)); // k5 holds write 5
        check.Apply(Event(15)); // k5 jumps to write 15 (nothing in between for it, but a backend may skip values)

        Assert.ThrowsAny<XunitException>(() => check.Apply(Event(5)));
    }

    [Fact]
    public void Apply_LevelTriggeredDeleteThatNoWriteMade_Fails()
    {
        var check = new WatchHistoryCheck(_history, exact: false);
        check.Apply(ResyncAfter(12));

        Assert.ThrowsAny<XunitException>(() => check.Apply(new KvDeleted("p/k2", 13)));
    }

    private WatchEvent Event(int n)
    {
        var write = _history.Writes[n];
        var revision = (ulong)n + 1;
        return write.IsDelete ? new KvDeleted(write.Key, revision) : new KvPut(new KvEntry(write.Key, _history.ValueOf(n), revision, revision, null), revision);
    }

    private KvResync ResyncAfter(int count)
    {
        var state = new Dictionary<string, KvEntry>(StringComparer.Ordinal);
        foreach (var write in _history.Writes.Take(count))
        {
            if (write.IsDelete)
                state.Remove(write.Key);
            else
                state[write.Key] = new KvEntry(write.Key, _history.ValueOf(write.Number), (ulong)write.Number + 1, 1, null);
        }
        return new KvResync(new KvSnapshot(state.Values.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(), (ulong)count));
    }
}
