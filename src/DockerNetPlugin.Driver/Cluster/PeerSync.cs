using DockerNetPlugin.Driver.Liveness;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The one prefix watch of this host (<c>endpoints/</c>): keeps the <see cref="PeerTable"/> equal to the store and tells
/// the driver which networks changed, so it can program their namespaces. Survives outages: the store's watch
/// resumes by itself and reports a resync when continuity was lost. A record that leaves the store is dropped at once
/// when its owner deleted it; when the owner's lease lapsed, <see cref="HostLiveness"/> keeps it while the owner answers.
/// A write that changes nothing (a host re-publishing after an outage or a restart) touches no kernel entry.
/// </summary>
internal sealed class PeerSync : IAsyncDisposable
{
    private readonly IKvStore _store;
    private readonly PeerTable _table;
    private readonly HostLiveness _liveness;
    private readonly string _hostId;
    private readonly Action<PeerChange> _apply;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public PeerSync(IKvStore store, PeerTable table, HostLiveness liveness, string hostId, Action<PeerChange> apply, ILogger logger)
    {
        _store = store;
        _table = table;
        _liveness = liveness;
        _hostId = hostId;
        _apply = apply;
        _logger = logger;
    }

    /// <summary>Completes once the first full state has been loaded (or the store is down: then later).</summary>
    public Task FirstSync => _firstSync.Task;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var ev in _store.WatchPrefixAsync(ClusterKeys.EndpointsPrefix, 0, ct).ConfigureAwait(false))
                    await HandleAsync(ev, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or DriverException)
            {
                DriverLog.WatchFailed(_logger, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleAsync(WatchEvent ev, CancellationToken ct)
    {
        switch (ev)
        {
            case KvResync resync:
                var records = resync.Snapshot.Entries.Select(TryDecode).OfType<EndpointRecord>().ToList();
                var gone = _table.ReplaceAll(records);
                var lapsed = await _liveness.LapsedOwnersAsync(gone.Where(r => r.HostId != _hostId), ct).ConfigureAwait(false);
                foreach (var kept in gone.Where(r => lapsed.Contains(r.HostId)))
                    _table.Upsert(kept);
                var removed = gone.Where(r => !lapsed.Contains(r.HostId)).Concat(records.SelectMany(_liveness.Displaced)).ToList();
                _apply(new PeerChange(records, removed, IsResync: true));
                _firstSync.TrySetResult();
                break;
            case KvPut put when TryDecode(put.Entry) is { } record:
                var previous = _table.Upsert(record);
                var displaced = _liveness.Displaced(record);
                if (previous == record && displaced.Count == 0)
                    break; // written again unchanged: the kernel already has it
                _apply(new PeerChange([record], [.. previous is not null && previous != record ? [previous] : Array.Empty<EndpointRecord>(), .. displaced], IsResync: false));
                break;
            case KvDeleted deleted:
                var (network, endpoint) = Parse(deleted.Key);
                if (network is null || _table.Get(network, endpoint!) is not { } known)
                    break;
                if (known.HostId != _hostId && await _liveness.OwnerLapsedAsync(known, ct).ConfigureAwait(false))
                    break; // its host's lease lapsed: the entries stay while it answers
                if (_table.Remove(network, endpoint!) is { } removedRecord)
                    _apply(new PeerChange([], [removedRecord], IsResync: false));
                break;
        }
    }

    private EndpointRecord? TryDecode(KvEntry entry)
    {
        try
        {
            return RecordStore.Decode(entry, DriverJsonContext.Default.EndpointRecord);
        }
        catch (DriverException e)
        {
            DriverLog.WatchFailed(_logger, e.Message);
            return null;
        }
    }

    private static (string? Network, string? Endpoint) Parse(string key)
    {
        var rest = key[ClusterKeys.EndpointsPrefix.Length..].Split('/');
        return rest.Length == 2 ? (KeyLayout.Unescape(rest[0]), KeyLayout.Unescape(rest[1])) : (null, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>Records that appeared or changed (<paramref name="Upserted"/>) and records that went (<paramref name="Removed"/>).</summary>
internal sealed record PeerChange(IReadOnlyList<EndpointRecord> Upserted, IReadOnlyList<EndpointRecord> Removed, bool IsResync);
