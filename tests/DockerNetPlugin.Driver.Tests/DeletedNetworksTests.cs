using DockerNetPlugin.Driver.Replication;

namespace DockerNetPlugin.Driver.Tests;

public sealed class DeletedNetworksTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Remember_TakeOnce_AndRecentOnlyWithinGrace()
    {
        var clock = new ManualClock();
        var deleted = new DeletedNetworks(clock);

        deleted.Remember("docker1", "logical1");

        Assert.True(deleted.RecentlyDeletedHere("logical1"));
        Assert.False(deleted.RecentlyDeletedHere("other"));
        Assert.Equal("logical1", deleted.Take("docker1"));
        Assert.Null(deleted.Take("docker1"));
        Assert.True(deleted.RecentlyDeletedHere("logical1")); // the event came; the grace period still holds
        clock.Now += DeletedNetworks.Grace;
        Assert.False(deleted.RecentlyDeletedHere("logical1"));
    }

    [Fact]
    public void Remember_ExpiredTombstonesArePruned_AndUnconsumedRemovalsAreBounded()
    {
        var clock = new ManualClock();
        var deleted = new DeletedNetworks(clock);
        deleted.Remember("d0", "old");
        clock.Now += DeletedNetworks.Grace;
        for (var i = 1; i <= 1100; i++)
            deleted.Remember($"d{i}", $"l{i}");

        Assert.False(deleted.RecentlyDeletedHere("old"));
        Assert.Null(deleted.Take("d0"));
        Assert.Equal("l1100", deleted.Take("d1100"));
    }
}
