using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Dns;

/// <summary>Resolver log events (ids 7xxx).</summary>
internal static partial class DnsLog
{
    [LoggerMessage(7001, LogLevel.Information, "resolver for network {NetworkId} serving on {Udp} (UDP) and {Tcp} (TCP)")]
    public static partial void Started(ILogger logger, string networkId, string udp, string tcp);

    [LoggerMessage(7002, LogLevel.Information, "resolver for network {NetworkId} stopped")]
    public static partial void Stopped(ILogger logger, string networkId);

    [LoggerMessage(7003, LogLevel.Debug, "{Transport} query {Name} type {QType} from {Source}: {Outcome} in {ElapsedMs:0.###} ms")]
    public static partial void Query(ILogger logger, string transport, string name, int qtype, string source, string outcome, double elapsedMs);

    [LoggerMessage(7004, LogLevel.Debug, "{Transport} message from {Source} answered {Rcode}: {Reason}")]
    public static partial void BadQuery(ILogger logger, string transport, string source, string rcode, string reason);

    [LoggerMessage(7005, LogLevel.Debug, "upstream {Upstream} for {Name}: {Problem}; trying the next")]
    public static partial void UpstreamFailed(ILogger logger, string upstream, string name, string problem);

    [LoggerMessage(7006, LogLevel.Warning, "no upstream answered {Name} (tried {Upstreams}); the client gets SERVFAIL")]
    public static partial void AllUpstreamsFailed(ILogger logger, string name, string upstreams);

    [LoggerMessage(7007, LogLevel.Information, "upstream resolvers from {Path}: {Upstreams}")]
    public static partial void UpstreamsRead(ILogger logger, string path, string upstreams);

    [LoggerMessage(7008, LogLevel.Warning, "cannot read upstream resolvers from {Path}: {Error}; names the networks do not know get SERVFAIL")]
    public static partial void UpstreamsUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(7009, LogLevel.Debug, "TCP connection from {Source} closed: {Reason}")]
    public static partial void TcpClosed(ILogger logger, string source, string reason);

    [LoggerMessage(7010, LogLevel.Warning, "TCP connection from {Source} refused: {Open} connections open (the cap)")]
    public static partial void TcpRejected(ILogger logger, string source, int open);

    [LoggerMessage(7011, LogLevel.Warning, "{Transport} receive loop error (continuing): {Error}")]
    public static partial void ReceiveFailed(ILogger logger, string transport, string error);

    [LoggerMessage(7012, LogLevel.Warning, "query from {Source} refused: {InFlight} forwarded queries in flight (the cap)")]
    public static partial void ForwardCapReached(ILogger logger, string source, int inFlight);

    [LoggerMessage(7013, LogLevel.Error, "internal error answering a {Transport} message from {Source} (the resolver keeps serving)")]
    public static partial void InternalError(ILogger logger, string transport, string source, Exception error);
}
