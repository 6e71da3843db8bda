namespace DockerNetPlugin.Store;

/// <summary>One key's state. <paramref name="Version"/> is the per-key modify revision (never 0 while the key exists).</summary>
public sealed record KvEntry(string Key, ReadOnlyMemory<byte> Value, ulong Version, ulong CreateVersion, string? LeaseId);
