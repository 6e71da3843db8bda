using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// Listens for vxlan0's L2/L3 miss notifications in one overlay namespace and hands each to an answer (the
/// driver looks the address up in its peer cache and programs the entry). Entries are programmed ahead of
/// traffic, so a miss means a race with the watch or an entry deleted by hand: answering it heals at once.
/// </summary>
internal sealed class MissResponder : IAsyncDisposable
{
    private readonly NeighborMonitor _monitor;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private MissResponder(NeighborMonitor monitor, Action<NeighborMiss> answer, ILogger logger)
    {
        _monitor = monitor;
        _loop = Task.Run(() => RunAsync(answer, logger, _stop.Token));
    }

    public static MissResponder Start(NetNs ns, Action<NeighborMiss> answer, ILogger logger) =>
        new(NeighborMonitor.Open(ns), answer, logger);

    private async Task RunAsync(Action<NeighborMiss> answer, ILogger logger, CancellationToken ct)
    {
        try
        {
            await foreach (var miss in _monitor.ReadAllAsync(ct).ConfigureAwait(false))
                answer(miss);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (NetlinkException e)
        {
            DriverLog.MissMonitorFailed(logger, e.Message);
        }
    }

    /// <summary>Stops without waiting (safe to call while holding the network's kernel gate, which answers take).</summary>
    public void StopInBackground() => _ = Task.Run(async () => await DisposeAsync().ConfigureAwait(false));

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _monitor.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
