using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>The key layout's log lines (event ids 292x).</summary>
internal static partial class LayoutLog
{
    [LoggerMessage(2920, LogLevel.Information, "key layout {Mode}: this host writes what it owns {Where} ({Reason})")]
    public static partial void Writing(ILogger logger, KeyLayoutMode mode, string where, string reason);

    [LoggerMessage(2921, LogLevel.Warning, "key layout: moving this host's records to {Where} failed, tried again at the next change of hosts or reconcile pass: {Error}")]
    public static partial void MoveFailed(ILogger logger, string where, string error);

    [LoggerMessage(2923, LogLevel.Warning, "key layout host: host(s) {Hosts} read only the legacy layout (an earlier release) and cannot see this host's records; upgrade them, or run this host with DNP_KEY_LAYOUT=auto until they are")]
    public static partial void LegacyReadersUnserved(ILogger logger, string hosts);

    [LoggerMessage(2922, LogLevel.Warning, "forget-host: {Key} cannot be deleted with this host's store credential ({Error}); delete it with an administrator's credential")]
    public static partial void ForeignDeleteRefused(ILogger logger, string key, string error);
}
