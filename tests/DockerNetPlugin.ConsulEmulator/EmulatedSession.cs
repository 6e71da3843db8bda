namespace DockerNetPlugin.Emulators.Consul;

/// <summary>One session of the emulator (kv.md §1.9).</summary>
internal sealed class EmulatedSession
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required TimeSpan? Ttl { get; init; }
    public required string Behavior { get; init; }
    public required TimeSpan LockDelay { get; init; }
    public required ulong CreateIndex { get; init; }

    /// <summary>Stopwatch timestamp after which the session is invalidated; null without a TTL.</summary>
    public long? ExpiresAt { get; set; }
}
