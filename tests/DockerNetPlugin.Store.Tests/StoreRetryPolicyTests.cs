using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests;

public sealed class StoreRetryPolicyTests
{
    private static readonly StoreRetryPolicy Fast = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10));

    [Fact]
    public async Task ExecuteAsync_AlwaysTransient_StopsAfterMaxAttemptsNamingTargetAndCount()
    {
        var calls = 0;

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => Fast.ExecuteAsync<int>("etcd at http://127.0.0.1:1",
            (_, _) => { calls++; throw new IOException("connection refused"); }, _ => true, CancellationToken.None));

        Assert.Equal(3, calls);
        Assert.StartsWith("etcd at http://127.0.0.1:1 is unreachable: connection refused (after 3 attempts in ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TransientThenSuccess_ReturnsTheResult()
    {
        var calls = 0;

        var result = await Fast.ExecuteAsync("x", (attempt, _) => ++calls < 3 ? throw new IOException("flaky") : Task.FromResult(attempt), _ => true, CancellationToken.None);

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task ExecuteAsync_PermanentError_IsNotRetried()
    {
        var calls = 0;

        await Assert.ThrowsAsync<StoreAuthException>(() => Fast.ExecuteAsync<int>("x",
            (_, _) => { calls++; throw new StoreAuthException("denied"); }, e => e is IOException, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ExecuteAsync_BudgetShorterThanAttempts_StopsAtTheBudget()
    {
        var slow = new StoreRetryPolicy(1000, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300));
        var calls = 0;

        await Assert.ThrowsAsync<StoreUnavailableException>(() => slow.ExecuteAsync<int>("x",
            (_, _) => { calls++; throw new IOException("down"); }, _ => true, CancellationToken.None));

        Assert.InRange(calls, 1, 100);
    }

    [Fact]
    public void DelayAfter_GrowsButNeverExceedsTheCap()
    {
        var policy = new StoreRetryPolicy(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        for (var attempt = 1; attempt < 40; attempt++)
            Assert.InRange(policy.DelayAfter(attempt), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
