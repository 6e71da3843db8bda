using System.Net;
using System.Threading.Channels;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Replication;
using DockerNetPlugin.Engine;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication;

/// <summary>
/// Makes every host's Docker hold the same dnp networks (PRODUCT: replication through each host's Engine API).
/// One sequential reconcile pass, woken by this host's Docker network events, by changes of the logical network
/// records in the store, and by a timer (retries). A pass: commits networks this host's Docker created (name and
/// spec go into the record: only then do other hosts see them), creates committed networks this host lacks, and
/// removes local networks whose logical network is being removed. No lock is held across an Engine call: Docker
/// calls the driver back (CreateNetwork, RequestPool, ...) before its API call returns.
/// </summary>
public sealed class NetworkReplicator : IAsyncDisposable
{
    private readonly OverlayDriver _driver;
    private readonly IDockerEngine _engine;
    private readonly ILogger _logger;
    private readonly TimeSpan _period;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _removedHere = new();
    private readonly List<Driver.Trust.SupervisedLoop> _loops = [];
    private string? _engineError;

    public NetworkReplicator(OverlayDriver driver, IDockerEngine engine, ILogger logger, TimeSpan? period = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(engine);
        _driver = driver;
        _engine = engine;
        _logger = logger;
        _period = period ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>Starts the four loops under the driver's supervisor (a loop that throws anything is logged and restarted).</summary>
    public void Start()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        _loops.Add(_driver.Loops.Start("replication-pass", PassLoopAsync));
        _loops.Add(_driver.Loops.Start("replication-engine-events", ct => EngineEventsLoopAsync(since, ct)));
        _loops.Add(_driver.Loops.Start("replication-store-watch", StoreWatchLoopAsync));
        _loops.Add(_driver.Loops.Start("replication-timer", TimerLoopAsync));
        Wake();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task PassLoopAsync(CancellationToken ct)
    {
        await foreach (var _ in _wake.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await PassAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or DriverException or DockerEngineException or HttpRequestException or IOException)
            {
                ReplicationLog.ReplicationPassFailed(_logger, e.Message);
            }
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        while (_removedHere.TryPeek(out var removed))
        {
            await MarkRemovingAsync(removed, ct).ConfigureAwait(false); // on failure it stays queued for the next pass
            _removedHere.TryDequeue(out _);
        }

        var records = (await _driver.ClusterNetworks.ListAsync(ct).ConfigureAwait(false))
            .ToDictionary(r => r.Value.Id, StringComparer.Ordinal);
        var local = _driver.LocalNetworks();
        foreach (var network in local)
        {
            if (!records.TryGetValue(network.LogicalId, out var record))
                continue;
            if (record.Value.Removing)
                await RemoveLocalAsync(network, record.Value, ct).ConfigureAwait(false);
            else if (record.Value.Name is null && record.Value.CreatedBy == _driver.HostId)
                await CommitAsync(network, record, ct).ConfigureAwait(false);
            else
                Report(record.Value, ReplicationStates.Present, null);
        }

        var here = local.Select(n => n.LogicalId).ToHashSet(StringComparer.Ordinal);
        foreach (var record in records.Values.Select(r => r.Value))
        {
            if (record is { Name: not null, Docker: not null, Removing: false } && !here.Contains(record.Id) && !_driver.Deleted.RecentlyDeletedHere(record.Id))
                await CreateLocalAsync(record, record.Docker, ct).ConfigureAwait(false);
        }
        _driver.Replication.Retain(records.Keys.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>This host's Docker committed a network the driver created: publish its name and spec.</summary>
    private async Task CommitAsync(LocalNetworkRef network, Versioned<NetworkRecord> record, CancellationToken ct)
    {
        var docker = await _engine.InspectNetworkAsync(network.DockerNetworkId, ct).ConfigureAwait(false);
        if (docker is null)
        {
            Report(record.Value, ReplicationStates.Pending, "waiting for this host's Docker to commit the network");
            return; // still being created, or rolled back (Docker then calls DeleteNetwork)
        }
        var spec = DockerNetworkSpecs.From(docker);
        var committed = record.Value with { Name = spec.Name, Docker = spec };
        if (await _driver.ClusterNetworks.TryUpdateAsync(committed, record.Version, ct).ConfigureAwait(false))
        {
            ReplicationLog.NetworkPublished(_logger, spec.Name, record.Value.Id);
            Report(committed, ReplicationStates.Present, null);
        }
        else
        {
            Wake(); // written meanwhile: look again
        }
    }

    /// <summary>A committed logical network this host's Docker lacks: create it here with the origin's spec.</summary>
    private async Task CreateLocalAsync(NetworkRecord record, DockerNetworkSpec spec, CancellationToken ct)
    {
        if (ReplicationPolicy.Refusal(record, spec) is { } why)
        {
            Fail(record, ReplicationStates.Refused, $"not created here: {why} (replication creates only dnp networks; see README)");
            return;
        }
        try
        {
            var id = await _engine.CreateNetworkAsync(spec.ToCreateRequest(record.Id), ct).ConfigureAwait(false);
            ReplicationLog.NetworkReplicated(_logger, spec.Name, record.Id, id);
            Report(record, ReplicationStates.Present, null);
        }
        catch (DockerConflictException e)
        {
            var existing = await _engine.InspectNetworkAsync(spec.Name, ct).ConfigureAwait(false);
            if (existing?.Options?.GetValueOrDefault(DriverOptionNames.Network) == record.Id)
                return; // created meanwhile (by a user with -o dnp.network, or a concurrent pass)
            var what = existing is null ? e.DaemonMessage ?? e.Message : $"a {existing.Driver} network named '{spec.Name}' ({existing.Id[..Math.Min(12, existing.Id.Length)]}) already exists on this host";
            Fail(record, ReplicationStates.Conflict, $"cannot create '{spec.Name}' here: {what}; remove or rename it");
        }
        catch (DockerEngineException e)
        {
            Fail(record, ReplicationStates.Failed, $"creating '{spec.Name}' through Docker failed: {e.DaemonMessage ?? e.Message}");
        }
    }

    /// <summary>The logical network is being removed: remove this host's Docker network once no container uses it.</summary>
    private async Task RemoveLocalAsync(LocalNetworkRef network, NetworkRecord record, CancellationToken ct)
    {
        try
        {
            await _engine.RemoveNetworkAsync(network.DockerNetworkId, ct).ConfigureAwait(false);
            ReplicationLog.ReplicaRemoved(_logger, record.Name ?? record.Id, record.Id);
        }
        catch (DockerEngineException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict)
        {
            Fail(record, ReplicationStates.Removing,
                $"removed on another host; {network.Endpoints} container endpoint(s) still attached here, removed when they leave ({e.DaemonMessage ?? e.Message})");
        }
        catch (DockerEngineException e)
        {
            Fail(record, ReplicationStates.Removing, $"removing it through Docker failed: {e.DaemonMessage ?? e.Message}");
        }
    }

    /// <summary>A user removed the network on this host: mark the logical network so every host removes it.</summary>
    private async Task MarkRemovingAsync(string logicalId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var record = await _driver.ClusterNetworks.GetAsync(logicalId, ct).ConfigureAwait(false);
            if (record is null || record.Value.Removing || record.Value.Name is null)
                return; // gone (this host was the last), already marked, or never committed
            if (await _driver.ClusterNetworks.TryUpdateAsync(record.Value with { Removing = true }, record.Version, ct).ConfigureAwait(false))
            {
                ReplicationLog.NetworkRemovalPublished(_logger, record.Value.Name, logicalId);
                return;
            }
        }
        throw new DriverException($"could not mark logical network {logicalId} as removed: its record kept changing");
    }

    private void Report(NetworkRecord record, string state, string? detail) =>
        _driver.Replication.Set(new ReplicationStatus(record.Id, record.Name, state, detail));

    private void Fail(NetworkRecord record, string state, string detail)
    {
        if (_driver.Replication.Set(new ReplicationStatus(record.Id, record.Name, state, detail)))
            ReplicationLog.ReplicationProblem(_logger, record.Name ?? record.Id, state, detail);
    }

    /// <summary>Docker's network events: a create may need publishing, a destroy by a user propagates, a disconnect may unblock a removal.</summary>
    private async Task EngineEventsLoopAsync(DateTimeOffset since, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var ev in _engine.StreamEventsAsync(EventFilter.NetworkLifecycle, since, ct).ConfigureAwait(false))
                {
                    if (_engineError is not null)
                    {
                        _engineError = null;
                        ReplicationLog.EngineReachable(_logger);
                    }
                    delay = TimeSpan.FromSeconds(1);
                    if (ev.Time > 0)
                        since = DateTimeOffset.FromUnixTimeSeconds(ev.Time);
                    if (ev.Action == "destroy" && _driver.Deleted.Take(ev.Actor.Id) is { } logicalId)
                        _removedHere.Enqueue(logicalId);
                    Wake();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerEngineException or HttpRequestException or IOException)
            {
                if (_engineError != e.Message)
                {
                    _engineError = e.Message;
                    ReplicationLog.EngineUnreachable(_logger, e.Message);
                }
            }
            if (!await DelayAsync(delay, ct).ConfigureAwait(false))
                return;
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            Wake(); // catch up with what happened while the stream was down
        }
    }

    private async Task StoreWatchLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in _driver.ClusterNetworks.WatchAsync(ct).ConfigureAwait(false))
                    Wake();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e)
            {
                ReplicationLog.WatchFailed(_logger, e.Message);
            }
            if (!await DelayAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false))
                return;
        }
    }

    private async Task TimerLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                Wake();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var loop in _loops)
            await _driver.Loops.StopAsync(loop).ConfigureAwait(false);
        _wake.Writer.TryComplete();
    }
}
