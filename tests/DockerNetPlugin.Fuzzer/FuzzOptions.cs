namespace DockerNetPlugin.Fuzzer;

/// <summary>One fuzz run: where the plugin listens, how many requests, and the seed every choice derives from.</summary>
public sealed record FuzzOptions
{
    /// <summary>The plugin's unix socket (DNP_SOCKET).</summary>
    public required string Socket { get; init; }

    /// <summary>How many requests the fuzz phase sends (the closing phase's clean-up calls come on top).</summary>
    public int Count { get; init; } = 2000;

    /// <summary>Same seed, same request stream (per worker, given the same plugin answers).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Workers sending at the same time, as Docker does; each has its own seed, subnets and objects.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>How long one call may take before it counts as a hang (the plugin's own deadline is 25 s).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Skip the closing phase (leave what the fuzz made in place).</summary>
    public bool SkipCleanup { get; init; }

    /// <summary>Progress lines go here (null: quiet).</summary>
    public TextWriter? Progress { get; init; }
}
