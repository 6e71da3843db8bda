using System.Diagnostics;

namespace DockerNetPlugin.Store;

/// <summary>
/// Bounded retry for transient store failures: at most <see cref="MaxAttempts"/> tries, exponential
/// backoff with full jitter, and an overall <see cref="Budget"/>; then one clear
/// <see cref="StoreUnavailableException"/> ("etcd at http://… is unreachable: … (after 4 attempts in 5.1 s)").
/// Never an endless loop (libnetwork's unbounded retries hung daemons, kv.md §4.6).
/// </summary>
public sealed record StoreRetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay, TimeSpan Budget)
{
    public static StoreRetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));

    /// <summary>A full-jitter delay before attempt <paramref name="attempt"/> + 1 (attempt counts from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    /// <summary>
    /// Runs <paramref name="action"/> until it succeeds, fails with a non-transient error (rethrown as is),
    /// or the attempts or budget run out (a <see cref="StoreUnavailableException"/> naming <paramref name="target"/>).
    /// </summary>
    public async Task<T> ExecuteAsync<T>(string target, Func<int, CancellationToken, Task<T>> action, Func<Exception, bool> isTransient, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await action(attempt, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && isTransient(e))
            {
                var delay = DelayAfter(attempt);
                if (attempt >= MaxAttempts || clock.Elapsed + delay > Budget)
                    throw new StoreUnavailableException(
                        $"{target} is unreachable: {Reason(e)} (after {attempt} attempt{(attempt == 1 ? "" : "s")} in {clock.Elapsed.TotalSeconds:0.0} s)", e);
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The first message that says what failed: a store exception's, or an etcd member's ("ADDR: no leader", "ADDR: Connection refused").</summary>
    private static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not (StoreException or Etcd.EtcdTransportException))
            inner = inner.InnerException;
        return inner.Message;
    }
}
