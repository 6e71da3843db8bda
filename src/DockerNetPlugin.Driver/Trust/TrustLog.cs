using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>Log lines of record validation and loop supervision (event ids 29xx, within the driver's 2xxx block).</summary>
internal static partial class TrustLog
{
    [LoggerMessage(2901, LogLevel.Warning, "store record {Key} is invalid and skipped: {Reason}")]
    public static partial void RecordInvalid(ILogger logger, string key, string reason);

    [LoggerMessage(2902, LogLevel.Information, "store record {Key} is valid again (or gone); it is used as usual")]
    public static partial void RecordRecovered(ILogger logger, string key);

    [LoggerMessage(2903, LogLevel.Warning, "{Count} invalid store records are known; further ones are counted but not logged one by one")]
    public static partial void TooManyInvalid(ILogger logger, int count);

    [LoggerMessage(2910, LogLevel.Error, "background loop {Loop} failed (restart {Restarts} in {DelaySeconds} s)")]
    public static partial void LoopFailed(ILogger logger, string loop, int restarts, double delaySeconds, Exception error);

    [LoggerMessage(2911, LogLevel.Error, "background loop {Loop} ended without being stopped (restart {Restarts} in {DelaySeconds} s)")]
    public static partial void LoopEnded(ILogger logger, string loop, int restarts, double delaySeconds);

    [LoggerMessage(2912, LogLevel.Information, "background loop {Loop} restarted (restart {Restarts})")]
    public static partial void LoopRestarted(ILogger logger, string loop, int restarts);
}
