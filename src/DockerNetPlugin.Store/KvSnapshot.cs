namespace DockerNetPlugin.Store;

/// <summary>The keys under a prefix, sorted by key, and the revision to resume a watch from.</summary>
public sealed record KvSnapshot(IReadOnlyList<KvEntry> Entries, ulong Revision);
