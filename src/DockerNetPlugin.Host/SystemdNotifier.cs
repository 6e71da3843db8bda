using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Host;

/// <summary>
/// systemd's start-up protocol for <c>Type=notify</c> units (sd_notify(3)): one datagram per state to the unix socket
/// that <c>NOTIFY_SOCKET</c> names (a path, or <c>@name</c> for an abstract socket). <c>READY=1</c> once the driver and
/// IPAM run, not merely when the plugin socket is bound, so units ordered after dnp (docker.service) start when dnp can
/// serve them; <c>STOPPING=1</c> when a stop begins. Without <c>NOTIFY_SOCKET</c> (a managed plugin, a shell) it does nothing.
/// </summary>
internal sealed partial class SystemdNotifier : IDisposable
{
    public const string EnvironmentVariable = "NOTIFY_SOCKET";

    private readonly UnixDomainSocketEndPoint? _target;
    private readonly Socket? _socket;
    private readonly ILogger _logger;

    internal SystemdNotifier(string? notifySocket, ILogger logger)
    {
        _logger = logger;
        if (string.IsNullOrEmpty(notifySocket))
            return;
        // "@name" is an abstract socket: its name starts with a NUL byte on the wire.
        _target = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>Reads <c>NOTIFY_SOCKET</c> and sends READY=1 in the background once <paramref name="runtime"/> is ready (or never, if <paramref name="stop"/> fires first).</summary>
    public static SystemdNotifier Start(PluginRuntime runtime, ILogger logger, CancellationToken stop)
    {
        var notifier = new SystemdNotifier(Environment.GetEnvironmentVariable(EnvironmentVariable), logger);
        if (notifier._target is not null)
            _ = notifier.NotifyWhenReadyAsync(runtime, stop);
        return notifier;
    }

    /// <summary>Tells systemd the stop has begun (it then waits for the process to exit, not for a timeout).</summary>
    public void Stopping() => Send("STOPPING=1\nSTATUS=stopping");

    internal async Task NotifyWhenReadyAsync(PluginRuntime runtime, CancellationToken stop)
    {
        try
        {
            await runtime.DriverAsync(stop).ConfigureAwait(false);
            await runtime.IpamAsync(stop).ConfigureAwait(false);
        }
        catch (NotReadyException) when (stop.IsCancellationRequested)
        {
            return; // stopped before it was ever ready: nothing to announce
        }
        Send("READY=1\nSTATUS=driver and IPAM ready");
    }

    /// <summary>One datagram; a failure is logged, never thrown (the plugin works without systemd's bookkeeping).</summary>
    internal void Send(string state)
    {
        if (_socket is null || _target is null)
            return;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _target);
            LogNotified(_logger, state.Split('\n')[0]);
        }
        catch (SocketException e)
        {
            LogNotifyFailed(_logger, state.Split('\n')[0], _target.ToString(), e.Message);
        }
    }

    public void Dispose() => _socket?.Dispose();

    [LoggerMessage(1101, LogLevel.Information, "told systemd {State}")]
    private static partial void LogNotified(ILogger logger, string state);

    [LoggerMessage(1102, LogLevel.Warning, "could not tell systemd {State} at {NotifySocket}: {Error}")]
    private static partial void LogNotifyFailed(ILogger logger, string state, string notifySocket, string error);
}
