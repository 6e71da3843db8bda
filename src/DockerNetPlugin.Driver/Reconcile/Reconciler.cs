using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
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
    private SupervisedLoop? _loop;

    /// <param name="docker">Docker's view of this host's networks (null: not checked, nothing is called stale).</param>
    public Reconciler(OverlayDriver driver, IDockerState? docker, ILogger logger, IReadOnlyList<IDriftCheck>? checks = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _driver = driver;
        _docker = docker ?? new NoDockerState();
        _logger = logger;
        _checks = checks ?? [];
    }

    /// <summary>
    /// Repairs now and then every <paramref name="interval"/> (only now when zero), as the supervised loop
    /// <c>reconciler</c> of the driver's <see cref="OverlayDriver.Loops"/>: a pass that throws anything is logged and
    /// the loop restarts after a backoff.
    /// </summary>
    public void Start(TimeSpan interval)
    {
        _loop = _driver.Loops.Start("reconciler", async ct =>
        {
            do
            {
                try
                {
                    await RunAsync(repair: true, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is StoreException or DriverException or NetlinkException)
                {
                    DriverLog.ReconcileFailed(_logger, e.Message);
                }
                if (interval <= TimeSpan.Zero)
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); // one pass asked for: idle until stopped
                await Task.Delay(interval, ct).ConfigureAwait(false);
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
        foreach (var item in report.Remaining.Where(i => i.Kind != InvalidRecordLog.DriftKind)) // those are logged once, by the log
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
        try
        {
            await _driver.ClusterNetworks.ListAsync(ct).ConfigureAwait(false); // a full read of networks/ and vnis/ refreshes their invalid records
        }
        catch (StoreException e)
        {
            drift.Note($"networks/ and vnis/ not checked: {e.Message}");
        }
        // Invalid store records (this pass's full reads refreshed those under endpoints/, networks/, vnis/): reported, never repaired here.
        foreach (var item in _driver.InvalidRecords.Drift())
            drift.Add(item, repair);
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
        if (_loop is not null)
            await _driver.Loops.StopAsync(_loop).ConfigureAwait(false);
        _oneAtATime.Dispose();
    }
}
