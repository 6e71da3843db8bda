namespace DockerNetPlugin.Driver.Liveness;

/// <summary>How a host whose lease lapsed is probed before its entries are dropped.</summary>
internal sealed record LivenessOptions(TimeSpan Interval, int MissesBeforeDrop)
{
    public static LivenessOptions Default { get; } = new(TimeSpan.FromSeconds(1), 3);
}
