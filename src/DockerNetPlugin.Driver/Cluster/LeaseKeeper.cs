using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Holds this host's lease. Every key written through it (the host record, published endpoints) vanishes from
/// the cluster when the host dies. When the lease is lost (store outage longer than its TTL), a new one is
/// granted and the owned keys are written again.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IKvStore _store;
    private readonly TimeSpan _ttl;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _owned = new(); // guarded by _gate
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private ILease? _lease;
    private Task? _watchdog;

    public LeaseKeeper(IKvStore store, TimeSpan ttl, ILogger logger)
    {
        _store = store;
        _ttl = ttl;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken ct)
    {
        _lease = await _store.GrantLeaseAsync(_ttl, ct).ConfigureAwait(false);
        _watchdog = Task.Run(WatchAsync, CancellationToken.None);
    }

    /// <summary>Write a key held by the lease and remember it for re-announcement.</summary>
    public async Task PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _owned[key] = value;
            await _store.PutAsync(key, value, _lease, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _owned.Remove(key);
            await _store.DeleteAsync(key, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _lease!.Lost).Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                await RenewAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RenewAsync()
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    var lease = await _store.GrantLeaseAsync(_ttl, _stop.Token).ConfigureAwait(false);
                    foreach (var (key, value) in _owned)
                        await _store.PutAsync(key, value, lease, _stop.Token).ConfigureAwait(false);
                    _lease = lease;
                }
                finally
                {
                    _gate.Release();
                }
                DriverLog.LeaseRenewed(_logger, _owned.Count);
                return;
            }
            catch (StoreException e)
            {
                DriverLog.LeaseRenewFailed(_logger, e.Message);
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_watchdog is not null)
            await _watchdog.ConfigureAwait(false);
        if (_lease is not null)
        {
            try
            {
                await _lease.DisposeAsync().ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                DriverLog.LeaseRenewFailed(_logger, e.Message);
            }
        }
        _stop.Dispose();
        _gate.Dispose();
    }
}
