namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// Rate limit for the blocking-query loop (kv.md §1.6 rule 3): <c>burst</c> calls pass at once, then one more
/// per <c>refill</c> interval. Waiting replaces sleeping in the loop, so a server that answers instantly
/// (index 0, index resets) can never turn the watch into a busy loop.
/// </summary>
internal sealed class TokenBucket(int burst, TimeSpan refill, TimeProvider time)
{
    private readonly int _burst = Math.Max(1, burst);
    private double _tokens = Math.Max(1, burst);
    private long _last = time.GetTimestamp();

    public async Task TakeAsync(CancellationToken ct)
    {
        Refill();
        if (_tokens < 1)
        {
            var missing = (1 - _tokens) * refill.TotalMilliseconds;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(missing)), time, ct).ConfigureAwait(false);
            Refill();
        }
        _tokens = Math.Max(0, _tokens - 1);
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_last, now);
        _last = now;
        if (refill > TimeSpan.Zero)
            _tokens = Math.Min(_burst, _tokens + (elapsed / refill));
        else
            _tokens = _burst;
    }
}
