using System.Threading.Channels;
using DockerNetPlugin.Driver.Trust;
using Microsoft.Extensions.Time.Testing;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class SupervisedLoopTests
{
    private static readonly BackoffPolicy s_policy = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromMinutes(1));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _logger = new();

    private sealed class StoreRecordBoom(string message) : Exception(message);

    /// <summary>Waits (on real time, bounded) for a condition the loop reaches on its own thread.</summary>
    internal static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
            await Task.Delay(2, limit.Token);
    }

    [Fact]
    public async Task Body_ThrowsAnyExceptionType_IsLoggedBackedOffAndRestarted()
    {
        var calls = 0;
        await using var loop = new SupervisedLoop("peer-watch", async ct =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
                throw new StoreRecordBoom($"bad record #{calls}");
            await Task.Delay(Timeout.Infinite, ct);
        }, _logger, s_policy, _time);

        loop.Start();
        await Until(() => loop.Health.State == LoopState.Restarting);
        var first = loop.Health;
        Assert.Equal(1, first.Restarts);
        Assert.Equal("StoreRecordBoom: bad record #1", first.LastError);
        Assert.Equal(_time.GetUtcNow(), first.LastErrorAt);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(1), first.RetryAt);
        Assert.Equal(1, calls);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => loop.Health.Restarts == 2 && loop.Health.State == LoopState.Restarting);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(2), loop.Health.RetryAt);

        _time.Advance(TimeSpan.FromSeconds(2));
        await Until(() => Volatile.Read(ref calls) == 3 && loop.Health.State == LoopState.Running);
        var running = loop.Health;
        Assert.Equal(2, running.Restarts);
        Assert.Equal("StoreRecordBoom: bad record #2", running.LastError);
        Assert.Null(running.RetryAt);
        Assert.Equal(2, _logger.Count(2910));
        Assert.Contains(_logger.Lines, l => l.EventId == 2910 && l.Text.Contains("StoreRecordBoom", StringComparison.Ordinal) && l.Text.Contains("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsecutiveFailures_DelayDoublesToTheCap()
    {
        await using var loop = new SupervisedLoop("reconciler", _ => throw new InvalidOperationException("always"), _logger, s_policy, _time);
        loop.Start();

        var delays = new List<double>();
        for (var restart = 1; restart <= 6; restart++)
        {
            await Until(() => loop.Health.Restarts == restart && loop.Health.State == LoopState.Restarting);
            var health = loop.Health;
            var delay = health.RetryAt!.Value - health.LastErrorAt!.Value;
            delays.Add(delay.TotalSeconds);
            _time.Advance(delay);
        }

        Assert.Equal([1, 2, 4, 8, 8, 8], delays);
    }

    [Fact]
    public async Task FailureAfterAHealthyPeriod_BackoffStartsOver()
    {
        var calls = 0;
        var fail = Channel.CreateUnbounded<bool>();
        await using var loop = new SupervisedLoop("replication", async ct =>
        {
            Interlocked.Increment(ref calls);
            await fail.Reader.ReadAsync(ct);
            throw new InvalidOperationException("failed");
        }, _logger, s_policy, _time);
        loop.Start();

        fail.Writer.TryWrite(true); // run 1 fails at once: 1 s
        await Until(() => loop.Health.Restarts == 1 && loop.Health.State == LoopState.Restarting);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => Volatile.Read(ref calls) == 2);
        fail.Writer.TryWrite(true); // run 2 fails at once too: 2 s
        await Until(() => loop.Health.Restarts == 2 && loop.Health.State == LoopState.Restarting);
        Assert.Equal(TimeSpan.FromSeconds(2), loop.Health.RetryAt - loop.Health.LastErrorAt);
        _time.Advance(TimeSpan.FromSeconds(2));
        await Until(() => Volatile.Read(ref calls) == 3 && loop.Health.State == LoopState.Running);

        _time.Advance(s_policy.HealthyAfter); // run 3 is healthy for a minute, then fails
        fail.Writer.TryWrite(true);
        await Until(() => loop.Health.Restarts == 3 && loop.Health.State == LoopState.Restarting);

        Assert.Equal(TimeSpan.FromSeconds(1), loop.Health.RetryAt - loop.Health.LastErrorAt);
    }

    [Fact]
    public async Task Body_ReturnsWithoutBeingStopped_IsRestarted()
    {
        var calls = 0;
        await using var loop = new SupervisedLoop("miss-responder", ct =>
            Interlocked.Increment(ref calls) == 1 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, ct), _logger, s_policy, _time);
        loop.Start();

        await Until(() => loop.Health.State == LoopState.Restarting);
        Assert.Equal("the loop ended without being stopped", loop.Health.LastError);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => Volatile.Read(ref calls) == 2);
        Assert.Equal(1, _logger.Count(2911));
    }

    [Fact]
    public async Task Body_ThrowsSynchronously_OrItsOwnCancellation_IsAFailure()
    {
        var calls = 0;
        await using var loop = new SupervisedLoop("lease-keeper", _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
                throw new ArgumentNullException("key");
            throw new OperationCanceledException("an HTTP timeout, not a shutdown");
        }, _logger, s_policy, _time);
        loop.Start();

        await Until(() => loop.Health.State == LoopState.Restarting);
        Assert.StartsWith("ArgumentNullException", loop.Health.LastError, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => loop.Health.Restarts == 2);
        Assert.StartsWith("OperationCanceledException", loop.Health.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_WhileRunning_CancelsTheBodyAndStopsCleanly()
    {
        var sawCancel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new SupervisedLoop("peer-watch", async ct =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                sawCancel.TrySetResult();
            }
        }, _logger, s_policy, _time);
        loop.Start();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await loop.DisposeAsync();

        Assert.True(sawCancel.Task.IsCompleted);
        Assert.Equal(new LoopHealth("peer-watch", LoopState.Stopped, 0, null, null, null), loop.Health);
        Assert.Empty(_logger.Lines);
    }

    [Fact]
    public async Task Dispose_WhileBackingOff_StopsWithoutAnotherRun()
    {
        var calls = 0;
        var loop = new SupervisedLoop("replication", _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("x");
        }, _logger, s_policy, _time);
        loop.Start();
        await Until(() => loop.Health.State == LoopState.Restarting);

        await loop.DisposeAsync();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(LoopState.Stopped, loop.Health.State);
        Assert.Equal(1, calls);
    }
}
