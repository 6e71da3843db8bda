namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// How a supervised loop waits before a restart: <see cref="Initial"/>, doubling per consecutive failure up to
/// <see cref="Max"/>; a run that lasted at least <see cref="HealthyAfter"/> before failing counts as healthy, so
/// the next wait starts again from <see cref="Initial"/>.
/// </summary>
public sealed record BackoffPolicy(TimeSpan Initial, TimeSpan Max, TimeSpan HealthyAfter)
{
    public static BackoffPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

    /// <summary>The wait after the <paramref name="consecutiveFailures"/>-th failure in a row (1-based).</summary>
    public TimeSpan Delay(int consecutiveFailures)
    {
        if (consecutiveFailures < 1)
            throw new ArgumentOutOfRangeException(nameof(consecutiveFailures), consecutiveFailures, "at least 1");
        var delay = Initial;
        for (var i = 1; i < consecutiveFailures && delay < Max; i++)
            delay += delay;
        return delay < Max ? delay : Max;
    }
}
