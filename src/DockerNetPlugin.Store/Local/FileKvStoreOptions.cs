namespace DockerNetPlugin.Store.Local;

/// <summary>Settings of the embedded store; only <see cref="Directory"/> is usually set.</summary>
public sealed record FileKvStoreOptions(string Directory)
{
    /// <summary>Write a fresh snapshot and empty the log once the log grows past this many bytes.</summary>
    public long CompactAfterBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>How many recent events are kept so a watch can resume from a revision.</summary>
    public int WatchHistory { get; init; } = 10_000;

    /// <summary>Events buffered per watcher; a watcher that falls further behind gets a <see cref="KvResync"/>.</summary>
    public int WatchBuffer { get; init; } = 1024;
}
