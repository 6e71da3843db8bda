using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>Log messages of the etcd backend (Store event IDs 42xx).</summary>
internal static partial class EtcdLog
{
    [LoggerMessage(4201, LogLevel.Information, "Using {Store}")]
    public static partial void Connecting(ILogger logger, string store);

    [LoggerMessage(4202, LogLevel.Warning, "etcd endpoint {Endpoint} failed ({Reason}); trying the next one")]
    public static partial void EndpointFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(4203, LogLevel.Information, "etcd auth token of user {User} expired; authenticating again")]
    public static partial void Reauthenticating(ILogger logger, string user);

    [LoggerMessage(4204, LogLevel.Warning, "etcd watch on {Prefix} broke ({Reason}); reconnecting from revision {Revision}")]
    public static partial void WatchBroken(ILogger logger, string prefix, string reason, ulong revision);

    [LoggerMessage(4205, LogLevel.Warning, "etcd watch on {Prefix} lost its history (compacted at {CompactRevision}); resyncing")]
    public static partial void WatchCompacted(ILogger logger, string prefix, long compactRevision);

    [LoggerMessage(4206, LogLevel.Warning, "etcd lease {LeaseId} is lost ({Reason})")]
    public static partial void LeaseLost(ILogger logger, string leaseId, string reason);

    [LoggerMessage(4207, LogLevel.Debug, "etcd lease {LeaseId} keepalive failed ({Reason}); retrying while its TTL lasts")]
    public static partial void KeepAliveFailed(ILogger logger, string leaseId, string reason);

    [LoggerMessage(4208, LogLevel.Warning, "etcd transaction answer lost ({Reason}); read back: applied = {Applied} (otherwise sent once more)")]
    public static partial void TxnOutcomeResolved(ILogger logger, bool applied, string reason);
}
