using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Consul;

/// <summary>Consul backend log events (Store block 4xxx, Consul 41xx). No message ever carries the token.</summary>
internal static partial class ConsulLog
{
    [LoggerMessage(4100, LogLevel.Information, "Consul store at {Address} ready (datacenter {Datacenter}, token {TokenState})")]
    public static partial void Connected(ILogger logger, string address, string datacenter, string tokenState);

    [LoggerMessage(4101, LogLevel.Debug, "Consul {What} failed on attempt {Attempt}, retrying in {DelayMs} ms: {Reason}")]
    public static partial void Retrying(ILogger logger, string what, int attempt, long delayMs, string reason);

    [LoggerMessage(4102, LogLevel.Warning, "Consul watch of {Prefix} failed, retrying in {DelayMs} ms: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string prefix, long delayMs, string reason);

    [LoggerMessage(4103, LogLevel.Information, "Consul watch of {Prefix} resynchronised: index went from {OldIndex} to {NewIndex}")]
    public static partial void WatchIndexReset(ILogger logger, string prefix, ulong oldIndex, ulong newIndex);

    [LoggerMessage(4104, LogLevel.Information, "Consul session {SessionId} created with TTL {Ttl} for lease TTL {LeaseTtl}")]
    public static partial void SessionCreated(ILogger logger, string sessionId, string ttl, TimeSpan leaseTtl);

    [LoggerMessage(4120, LogLevel.Information, "Consul session {SessionId} resumed with TTL {Ttl}: its keys stayed")]
    public static partial void SessionResumed(ILogger logger, string sessionId, string ttl);

    [LoggerMessage(4105, LogLevel.Warning, "Consul session {SessionId} renewal failed, lease lost in {RemainingMs} ms unless a renewal succeeds: {Reason}")]
    public static partial void RenewFailed(ILogger logger, string sessionId, long remainingMs, string reason);

    [LoggerMessage(4106, LogLevel.Warning, "Consul session {SessionId} lost: {Reason}")]
    public static partial void SessionLost(ILogger logger, string sessionId, string reason);

    [LoggerMessage(4107, LogLevel.Warning, "Consul session {SessionId} could not be destroyed; its keys vanish when its TTL runs out: {Reason}")]
    public static partial void DestroyFailed(ILogger logger, string sessionId, string reason);
}
