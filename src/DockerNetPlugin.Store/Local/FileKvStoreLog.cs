using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Local;

/// <summary>Log messages of the embedded store (Store event IDs 43xx; Consul has 41xx, etcd 42xx).</summary>
internal static partial class FileKvStoreLog
{
    [LoggerMessage(4301, LogLevel.Information, "Embedded store {Directory} opened at revision {Revision} with {Keys} keys")]
    public static partial void Opened(ILogger logger, string directory, ulong revision, int keys);

    [LoggerMessage(4302, LogLevel.Warning, "Embedded store {Directory}: dropped a torn or corrupt log tail at byte {Offset} of {Length} (a write that never completed)")]
    public static partial void TornTailDropped(ILogger logger, string directory, int offset, int length);

    [LoggerMessage(4303, LogLevel.Information, "Embedded store {Directory}: deleted {Keys} keys of leases held by the previous process")]
    public static partial void ExpiredPreviousLeases(ILogger logger, string directory, int keys);

    [LoggerMessage(4304, LogLevel.Warning, "Embedded store lease {LeaseId} expired; its keys were deleted")]
    public static partial void LeaseExpired(ILogger logger, string leaseId);

    [LoggerMessage(4305, LogLevel.Warning, "Embedded store watcher on {Prefix} fell behind; it gets a full resync")]
    public static partial void WatcherResynced(ILogger logger, string prefix);

    [LoggerMessage(4306, LogLevel.Error, "Embedded store {Directory} failed to persist; it refuses further writes")]
    public static partial void PersistFailed(ILogger logger, string directory, Exception error);

    [LoggerMessage(4307, LogLevel.Debug, "Embedded store {Directory} compacted into a snapshot at revision {Revision}")]
    public static partial void Compacted(ILogger logger, string directory, ulong revision);

    [LoggerMessage(4308, LogLevel.Error, "Embedded store lease {LeaseId} could not be ended")]
    public static partial void LeaseEndFailed(ILogger logger, string leaseId, Exception error);
}
