namespace DockerNetPlugin.Store;

/// <summary>
/// Outcome of a compare-and-set. On success <paramref name="NewVersion"/> is the exact new version;
/// on conflict <paramref name="Current"/> is the entry as it is now (null when absent). A conflict is not an exception.
/// </summary>
public sealed record CasResult(bool Succeeded, ulong NewVersion, KvEntry? Current);
