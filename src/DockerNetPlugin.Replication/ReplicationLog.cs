using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication;

/// <summary>
/// Replication's log lines. They keep the event ids they had inside the driver (2012–2019; the driver no longer uses
/// them), so existing log queries still match; a new id here takes the next free one of the 2xxx block.
/// </summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(2012, LogLevel.Information, "network {Name} published as logical network {LogicalId}: other hosts create it now")]
    public static partial void NetworkPublished(ILogger logger, string name, string logicalId);

    [LoggerMessage(2013, LogLevel.Information, "network {Name} (logical network {LogicalId}) replicated to this host as {NetworkId}")]
    public static partial void NetworkReplicated(ILogger logger, string name, string logicalId, string networkId);

    [LoggerMessage(2014, LogLevel.Information, "network {Name} removed here: logical network {LogicalId} is removed on every host")]
    public static partial void NetworkRemovalPublished(ILogger logger, string name, string logicalId);

    [LoggerMessage(2015, LogLevel.Information, "network {Name} (logical network {LogicalId}) removed from this host's Docker: it was removed on another host")]
    public static partial void ReplicaRemoved(ILogger logger, string name, string logicalId);

    [LoggerMessage(2016, LogLevel.Warning, "replication of network {Name}: {State}: {Detail}")]
    public static partial void ReplicationProblem(ILogger logger, string name, string state, string detail);

    [LoggerMessage(2017, LogLevel.Warning, "replication pass failed (retried): {Error}")]
    public static partial void ReplicationPassFailed(ILogger logger, string error);

    [LoggerMessage(2018, LogLevel.Warning, "Docker Engine API unreachable, replication waits for it: {Error}")]
    public static partial void EngineUnreachable(ILogger logger, string error);

    [LoggerMessage(2019, LogLevel.Information, "Docker Engine API reachable again")]
    public static partial void EngineReachable(ILogger logger);

    [LoggerMessage(2026, LogLevel.Warning, "network record watch interrupted: {Error}")]
    public static partial void WatchFailed(ILogger logger, string error);
}
