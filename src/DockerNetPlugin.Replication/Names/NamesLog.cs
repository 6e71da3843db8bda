using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication.Names;

/// <summary>The log lines of names across hosts (event ids 2040–2049).</summary>
internal static partial class NamesLog
{
    [LoggerMessage(2070, LogLevel.Warning, "name record of endpoint {EndpointId} on network {NetworkId} (host {HostId}) skipped: {Error}")]
    public static partial void RecordSkipped(ILogger logger, string endpointId, string networkId, string hostId, string error);

    [LoggerMessage(2071, LogLevel.Information, "names of container {Container} learned in {ElapsedMs:0.0} ms ({Reason}): {Endpoints} endpoint(s) updated")]
    public static partial void Learned(ILogger logger, string container, double elapsedMs, string reason, int endpoints);

    [LoggerMessage(2072, LogLevel.Warning, "learning names ({Reason}) failed: {Error}")]
    public static partial void LearnFailed(ILogger logger, string reason, string error);

    [LoggerMessage(2073, LogLevel.Warning, "endpoint {EndpointId} on network {NetworkId}: Docker did not list its container within {Seconds} s; the periodic pass tries again")]
    public static partial void JoinNotListed(ILogger logger, string endpointId, string networkId, double seconds);

    [LoggerMessage(2074, LogLevel.Warning, "Docker events for names interrupted: {Error}")]
    public static partial void EventsFailed(ILogger logger, string error);

    [LoggerMessage(2075, LogLevel.Warning, "endpoint {EndpointId}: Docker's names are not servable, not published: {Error}")]
    public static partial void NamesRejected(ILogger logger, string endpointId, string error);
}
