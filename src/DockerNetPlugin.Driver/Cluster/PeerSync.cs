using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The one prefix watch of this host (<c>endpoints/</c>): keeps the <see cref="PeerTable"/> equal to the store and tells
/// the driver which networks changed, so it can program their namespaces. Survives outages: the store's watch
/// resumes by itself and reports a resync when continuity was lost.
/// </summary>
internal sealed class PeerSync : IAsyncDisposable
{
    private readonly IKvStore _store;
    private readonly PeerTable _table;
    private readonly Action<PeerChange> _apply;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public PeerSync(IKvStore store, PeerTable table, Action<PeerChange> apply, ILogger logger)
    {
        _store = store;
        _table = table;
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
                    Handle(ev);
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

    private void Handle(WatchEvent ev)
    {
        switch (ev)
        {
            case KvResync resync:
                var records = resync.Snapshot.Entries.Select(TryDecode).OfType<EndpointRecord>().ToList();
                var gone = _table.ReplaceAll(records);
                _apply(new PeerChange(records, gone, IsResync: true));
                _firstSync.TrySetResult();
                break;
            case KvPut put when TryDecode(put.Entry) is { } record:
                var previous = _table.Upsert(record);
                _apply(new PeerChange([record], previous is not null && previous != record ? [previous] : [], IsResync: false));
                break;
            case KvDeleted deleted:
                var (network, endpoint) = Parse(deleted.Key);
                if (network is not null && _table.Remove(network, endpoint!) is { } removed)
                    _apply(new PeerChange([], [removed], IsResync: false));
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
