using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Reconcile;

/// <summary>
/// Compares kernel state with the store and with Docker's view of this host, and repairs the difference: on start,
/// every <c>DNP_RECONCILE_INTERVAL</c>, and on demand (<c>dnp doctor [--repair]</c>). One pass at a time.
/// A repairing pass is followed by a checking pass, whose findings are what remains.
/// </summary>
public sealed class Reconciler : IAsyncDisposable
{
    private readonly OverlayDriver _driver;
    private readonly IDockerState _docker;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IDriftCheck> _checks;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="docker">Docker's view of this host's networks (null: not checked, nothing is called stale).</param>
    public Reconciler(OverlayDriver driver, IDockerState? docker, ILogger logger, IReadOnlyList<IDriftCheck>? checks = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _driver = driver;
        _docker = docker ?? new NoDockerState();
        _logger = logger;
        _checks = checks ?? [];
    }

    /// <summary>Repairs now and then every <paramref name="interval"/> (none when zero).</summary>
    public void Start(TimeSpan interval)
    {
        _loop = Task.Run(async () =>
        {
            var ct = _stop.Token;
            do
            {
                try
                {
                    await RunAsync(repair: true, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is StoreException or DriverException or NetlinkException)
                {
                    DriverLog.ReconcileFailed(_logger, e.Message);
                }
                if (interval <= TimeSpan.Zero)
                    return;
                try
                {
                    await Task.Delay(interval, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            while (true);
        });
    }

    /// <summary>One check (and with <paramref name="repair"/>, repair then re-check) of every network and the host.</summary>
    public async Task<DriftReport> RunAsync(bool repair, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var first = await PassAsync(repair, ct).ConfigureAwait(false);
            if (!repair || first.Repairing.Count == 0)
                return Logged(repair, new DriftReport(first.Found, [], first.Found, first.Notes));
            var after = await PassAsync(repair: false, ct).ConfigureAwait(false);
            return Logged(repair, new DriftReport(first.Found, first.Repairing.Where(r => !after.Found.Contains(r)).ToList(), after.Found,
                first.Notes.Concat(after.Notes).Distinct().ToList()));
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Every repairing run is logged item by item, whether the timer or <c>dnp doctor --repair</c> asked for it.</summary>
    private DriftReport Logged(bool repair, DriftReport report)
    {
        if (!repair)
            return report;
        foreach (var item in report.Repaired)
            DriverLog.DriftRepaired(_logger, item.Network, item.Kind, item.Object, item.Detail);
        foreach (var item in report.Remaining)
            DriverLog.DriftRemains(_logger, item.Network, item.Kind, item.Object, item.Detail);
        return report;
    }

    private async Task<DriftLog> PassAsync(bool repair, CancellationToken ct)
    {
        var drift = new DriftLog();
        var networks = _driver.LocalNetworks().Select(n => n.DockerNetworkId).ToList();
        await _docker.ReadAsync(networks, ct).ConfigureAwait(false); // no driver lock is held across Engine calls
        if (_docker.Unavailable is { } why)
            drift.Note(why);
        var records = await _driver.ReadEndpointRecordsAsync(ct).ConfigureAwait(false);
        foreach (var id in networks)
        {
            try
            {
                await _driver.ReconcileNetworkAsync(id, _docker, records, repair, drift, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DriverException or NetlinkException or StoreException)
            {
                drift.Note($"network {id[..Math.Min(12, id.Length)]}: {e.Message}");
            }
        }
        await _driver.ReconcileHostAsync(records, repair, drift, ct).ConfigureAwait(false);
        foreach (var check in _checks)
        {
            try
            {
                await check.CheckAsync(drift, repair, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StoreException or DriverException or HttpRequestException or IOException)
            {
                drift.Note($"{check.GetType().Name}: {e.Message}");
            }
        }
        return drift;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _oneAtATime.Dispose();
    }
}
