using System.Globalization;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// An etcd lease kept alive by single-shot keepalive POSTs every TTL/3 (kv.md §2.7), each bounded to TTL/4 so a
/// member that holds it (cut off from its peers) cannot eat the lease's life. A transient failure (the member is dead,
/// has no leader, an election is under way) moves the client to the next member and is retried after a short backoff
/// until the TTL would have run out locally; an answer without TTL (the lease is gone) or a lapsed TTL fires
/// <see cref="Lost"/>. etcd keeps leases across a leader change (the new leader extends them). Dispose revokes.
/// </summary>
internal sealed class EtcdLease : ILease
{
    /// <summary>Backoff between keepalive attempts after a failure (the next one goes to another member).</summary>
    private static readonly StoreRetryPolicy s_retry = new(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.MaxValue);
    private readonly EtcdKvStore _store;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _keepAlive;
    private int _disposed;

    public EtcdLease(EtcdKvStore store, long id, TimeSpan ttl, ILogger log)
    {
        _store = store;
        _log = log;
        NumericId = id;
        Id = id.ToString(CultureInfo.InvariantCulture);
        GrantedTtl = ttl;
        _keepAlive = Task.Run(KeepAliveAsync);
    }

    public long NumericId { get; }
    public string Id { get; }
    public TimeSpan GrantedTtl { get; }
    public CancellationToken Lost => _lost.Token;
    internal EtcdKvStore Store => _store;

    /// <summary>Stops renewing (as if the owner hung); the server expires the lease after its TTL.</summary>
    internal void StopKeepAlive()
    {
        if (Volatile.Read(ref _disposed) == 0)
            _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        _store.Forget(this);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await _store.RevokeAsync(NumericId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The store was closed first; the lease expires by its TTL.
            }
        }
    }

    private async Task KeepAliveAsync()
    {
        var ct = _stop.Token;
        var lastRenewal = DateTime.UtcNow;
        var ttl = GrantedTtl;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(failures == 0 ? ttl / 3 : s_retry.DelayAfter(failures), ct).ConfigureAwait(false);
                var remaining = await _store.KeepAliveOnceAsync(NumericId, GrantedTtl / 4, ct).ConfigureAwait(false);
                if (remaining <= 0)
                {
                    MarkLost("the server no longer knows it");
                    return;
                }
                lastRenewal = DateTime.UtcNow;
                ttl = TimeSpan.FromSeconds(remaining);
                failures = 0;
            }
            catch (Exception e) when (ct.IsCancellationRequested || e is ObjectDisposedException)
            {
                return; // stopped, or the store was closed
            }
            catch (StoreException e)
            {
                failures++;
                EtcdLog.KeepAliveFailed(_log, Id, e.Message);
                if (DateTime.UtcNow - lastRenewal >= ttl)
                {
                    MarkLost($"no keepalive succeeded for a whole TTL: {e.Message}");
                    return;
                }
            }
        }
    }

    private void MarkLost(string reason)
    {
        EtcdLog.LeaseLost(_log, Id, reason);
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A consumer's callback threw; the lease is lost either way.
        }
    }
}
