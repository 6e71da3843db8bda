using DockerNetPlugin.Driver.Trust;
using Microsoft.Extensions.Time.Testing;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class LoopSupervisorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger _logger = new();

    private static Task Forever(CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);

    [Fact]
    public async Task Health_ListsEveryLoopByName_WithItsState()
    {
        await using var supervisor = new LoopSupervisor(_logger, BackoffPolicy.Default, _time);
        supervisor.Start("reconciler", _ => throw new InvalidOperationException("boom"));
        supervisor.Start("peer-watch", Forever);

        await SupervisedLoopTests.Until(() => supervisor.Health().All(h => h.State != LoopState.Stopped) && supervisor.Health()[1].State == LoopState.Restarting);

        var health = supervisor.Health();
        Assert.Equal(["peer-watch", "reconciler"], health.Select(h => h.Name));
        Assert.Equal(LoopState.Running, health[0].State);
        Assert.Equal("InvalidOperationException: boom", health[1].LastError);
    }

    [Fact]
    public async Task Start_DuplicateName_Throws()
    {
        await using var supervisor = new LoopSupervisor(_logger, time: _time);
        supervisor.Start("peer-watch", Forever);

        Assert.Throws<InvalidOperationException>(() => supervisor.Start("peer-watch", Forever));
    }

    [Fact]
    public async Task StopAsync_OneLoop_ForgetsIt_DisposeStopsTheRest()
    {
        var supervisor = new LoopSupervisor(_logger, time: _time);
        var miss = supervisor.Start("miss-responder/net1", Forever);
        var watch = supervisor.Start("peer-watch", Forever);

        await supervisor.StopAsync(miss);
        Assert.Equal(["peer-watch"], supervisor.Health().Select(h => h.Name));

        await supervisor.DisposeAsync();
        Assert.Equal(LoopState.Stopped, watch.Health.State);
        Assert.Empty(supervisor.Health());
        Assert.Throws<ObjectDisposedException>(() => supervisor.Start("late", Forever));
    }
}
