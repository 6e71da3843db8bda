using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Host;

/// <summary>The host's log lines (event ids 1xxx): one line per API call with its outcome and duration.</summary>
internal static partial class HostLog
{
    [LoggerMessage(1001, LogLevel.Information, "{Method} {Ids} ok in {ElapsedMs:0.0} ms")]
    public static partial void CallSucceeded(ILogger logger, string method, string ids, double elapsedMs);

    [LoggerMessage(1002, LogLevel.Warning, "{Method} {Ids} failed in {ElapsedMs:0.0} ms: {Error}")]
    public static partial void CallFailed(ILogger logger, string method, string ids, double elapsedMs, string error);

    [LoggerMessage(1003, LogLevel.Error, "{Method} {Ids} crashed in {ElapsedMs:0.0} ms")]
    public static partial void CallCrashed(ILogger logger, string method, string ids, double elapsedMs, Exception error);

    [LoggerMessage(1004, LogLevel.Information, "listening on {Socket} (store {Store}, state {StateDir}, namespaces {NetnsDir})")]
    public static partial void Listening(ILogger logger, string socket, string store, string stateDir, string netnsDir);

    [LoggerMessage(1005, LogLevel.Warning, "not ready yet: {Error}; retrying in {DelaySeconds} s")]
    public static partial void InitFailed(ILogger logger, string error, double delaySeconds);

    [LoggerMessage(1006, LogLevel.Information, "ready: driver and IPAM started in {ElapsedMs:0} ms")]
    public static partial void Ready(ILogger logger, double elapsedMs);

    [LoggerMessage(1007, LogLevel.Information, "shutting down")]
    public static partial void Stopping(ILogger logger);
}
