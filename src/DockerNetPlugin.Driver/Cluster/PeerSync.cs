using DockerNetPlugin.Driver.Liveness;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The watch of endpoint records (both key layouts, merged by <see cref="LayoutMerge"/>) of this host: keeps the <see cref="PeerTable"/> equal to the store's valid records and
/// tells the driver which networks changed, so it can program their namespaces. Every record goes through
/// <see cref="PeerAdmission"/> first: an invalid one is reported and never reaches the table (or a kernel), and the
/// records around it are applied as usual. Survives outages: the store's watch resumes by itself and reports a resync
/// when continuity was lost. A record that leaves the store is dropped at once when its owner deleted it; when the
/// owner's lease lapsed, <see cref="HostLiveness"/> keeps it while the owner answers. A write that changes nothing (a
/// host re-publishing after an outage or a restart) touches no kernel entry. <see cref="RunAsync"/> is a loop body for
/// the <see cref="LoopSupervisor"/>.
/// </summary>
internal sealed class PeerSync
{
    private readonly IKvStore _store;
    private readonly PeerTable _table;
    private readonly HostLiveness _liveness;
    private readonly string _hostId;
    private readonly PeerAdmission _admission;
    private readonly Action<PeerChange> _apply;
    private readonly RecordRestorer _restorer;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Serialises the watch's changes with rechecks (host or network context changed), so a recheck never re-inserts a
    // record that a delete removed meanwhile. Taken before any network's kernel gate (through _apply), never inside one.
    private readonly SemaphoreSlim _order = new(1, 1);

    /// <param name="restorer">Told of every change under <c>endpoints/</c>, so this host's own records a stranger deleted or overwrote go back at once.</param>
    public PeerSync(IKvStore store, PeerTable table, HostLiveness liveness, string hostId, PeerAdmission admission, Action<PeerChange> apply, RecordRestorer restorer, ILogger logger)
    {
        _store = store;
        _table = table;
        _liveness = liveness;
        _hostId = hostId;
        _admission = admission;
        _apply = apply;
        _restorer = restorer;
        _logger = logger;
    }

    /// <summary>Completes once the first full state has been loaded (or the store is down: then later).</summary>
    public Task FirstSync => _firstSync.Task;

    /// <summary>The watch, until <paramref name="ct"/> is cancelled. Store outages are waited out here; anything else goes to the supervisor.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var ev in LayoutMerge.WatchAsync(_store, OwnedKind.Endpoint, ct, _restorer.Seen).ConfigureAwait(false))
                    await OrderedAsync(() => HandleAsync(ev, ct), ct).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                DriverLog.WatchFailed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>After the registered hosts changed: records held for their host's locator that are usable now.</summary>
    public Task RecheckHostsAsync(CancellationToken ct) => OrderedAsync(() =>
    {
        var admitted = _admission.Recheck();
        if (admitted.Count > 0)
            Upsert(admitted);
        return Task.CompletedTask;
    }, ct);

    /// <summary>
    /// After this host learned a network (CreateNetwork): records of it that were admitted without its subnets (the
    /// network was unknown here then) are checked again; those outside the subnets leave the table and are reported.
    /// </summary>
    public Task RecheckNetworkAsync(string logicalId, CancellationToken ct) => OrderedAsync(() =>
    {
        var refused = _admission.Refuse(_table.Of(logicalId));
        var removed = refused.Select(r => _table.Remove(r.NetworkId, r.EndpointId)).OfType<EndpointRecord>().ToList();
        if (removed.Count > 0)
            _apply(new PeerChange([], removed, IsResync: false));
        return Task.CompletedTask;
    }, ct);

    private async Task OrderedAsync(Func<Task> step, CancellationToken ct)
    {
        await _order.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await step().ConfigureAwait(false);
        }
        finally
        {
            _order.Release();
        }
    }

    private async Task HandleAsync(WatchEvent ev, CancellationToken ct)
    {
        switch (ev)
        {
            case KvResync resync:
                var records = _admission.AdmitAll(resync.Snapshot.Entries);
                var gone = _table.ReplaceAll(records);
                var lapsed = await _liveness.LapsedOwnersAsync(gone.Where(r => r.HostId != _hostId), ct).ConfigureAwait(false);
                foreach (var kept in gone.Where(r => lapsed.Contains(r.HostId)))
                    _table.Upsert(kept);
                var removed = gone.Where(r => !lapsed.Contains(r.HostId)).Concat(records.SelectMany(_liveness.Displaced)).ToList();
                _apply(new PeerChange(records, removed, IsResync: true));
                _firstSync.TrySetResult();
                break;
            case KvPut put:
                if (_admission.Admit(put.Entry) is { } record)
                {
                    var previous = _table.Upsert(record);
                    var displaced = _liveness.Displaced(record);
                    if (previous == record && displaced.Count == 0)
                        break; // written again unchanged: the kernel already has it
                    _apply(new PeerChange([record], [.. previous is not null && previous != record ? [previous] : Array.Empty<EndpointRecord>(), .. displaced], IsResync: false));
                }
                else if (RecordValidator.EndpointKey(put.Entry.Key) is var (network, endpoint) && _table.Remove(network, endpoint) is { } replaced)
                {
                    _apply(new PeerChange([], [replaced], IsResync: false)); // a valid record rewritten invalid: its entries go
                }
                break;
            case KvDeleted deleted:
                if (_admission.Deleted(deleted.Key) is var (net, ep) && _table.Get(net, ep) is { } known)
                {
                    if (known.HostId != _hostId && await _liveness.OwnerLapsedAsync(known, ct).ConfigureAwait(false))
                        break; // its host's lease lapsed: the entries stay while it answers
                    if (_table.Remove(net, ep) is { } removedRecord)
                        _apply(new PeerChange([], [removedRecord], IsResync: false));
                }
                break;
        }
    }

    private void Upsert(IReadOnlyList<EndpointRecord> records)
    {
        var upserted = new List<EndpointRecord>();
        var previous = new List<EndpointRecord>();
        foreach (var record in records)
        {
            var old = _table.Upsert(record);
            upserted.Add(record);
            if (old is not null && old != record)
                previous.Add(old);
            previous.AddRange(_liveness.Displaced(record)); // a lapsed host's record this one claims the address or MAC of
        }
        if (upserted.Count > 0)
            _apply(new PeerChange(upserted, previous, IsResync: false));
    }
}

/// <summary>Records that appeared or changed (<paramref name="Upserted"/>) and records that went (<paramref name="Removed"/>).</summary>
internal sealed record PeerChange(IReadOnlyList<EndpointRecord> Upserted, IReadOnlyList<EndpointRecord> Removed, bool IsResync);
