namespace DockerNetPlugin.Store;

/// <summary>What a prefix watch reports. Consumers must be idempotent: rebuild state, never count events.</summary>
public abstract record WatchEvent(ulong Revision);

/// <summary>A key was created or changed.</summary>
public sealed record KvPut(KvEntry Entry, ulong Revision) : WatchEvent(Revision);

/// <summary>A key was deleted (also by lease expiry).</summary>
public sealed record KvDeleted(string Key, ulong Revision) : WatchEvent(Revision);

/// <summary>Continuity was lost (or the watch starts): this is the full state under the prefix.</summary>
public sealed record KvResync(KvSnapshot Snapshot) : WatchEvent(Snapshot.Revision);

/// <summary>Optional heartbeat: nothing changed up to <see cref="WatchEvent.Revision"/>.</summary>
public sealed record KvProgress(ulong Revision) : WatchEvent(Revision);
