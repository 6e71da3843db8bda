namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// Exponential backoff with full jitter: the n-th delay is uniform in [0, min(max, initial·2ⁿ)].
/// One instance per retry loop; <see cref="Reset"/> after a success.
/// </summary>
internal sealed class JitteredBackoff(TimeSpan initial, TimeSpan max)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    public void Reset() => _attempt = 0;
}
