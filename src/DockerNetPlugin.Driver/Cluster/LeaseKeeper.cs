using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Holds this host's lease. Every key written through it (the host record, published endpoints) vanishes from
/// the cluster when the host dies. When the lease is lost (store outage longer than its TTL), a new one is
/// granted and the owned keys are written again.
/// No lock is held across a store call: writers of different keys (Joins on different networks) never queue behind
/// each other or behind a renewal during a store outage. Writes of one key are serialised by its caller (an endpoint
/// key by its network's lock). A write that overlapped a renewal is checked afterwards and repeated under the new
/// lease; a key deleted while a renewal re-wrote it is deleted again.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IKvStore _store;
    private readonly TimeSpan _ttl;
    private readonly ILogger _logger;
    private readonly object _gate = new(); // bottom level: guards _owned, _lease and _generation; never held across an await
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _owned = new();
    private readonly Trust.LoopSupervisor _loops;
    private ILease? _lease;
    private long _generation; // bumped each time a new lease replaces the old one
    private Trust.SupervisedLoop? _watchdog;
    private TaskCompletionSource _renewed = new(TaskCreationOptions.RunContinuationsAsynchronously); // completed and replaced at each renewal

    public LeaseKeeper(IKvStore store, TimeSpan ttl, ILogger logger, Trust.LoopSupervisor loops)
    {
        _store = store;
        _ttl = ttl;
        _logger = logger;
        _loops = loops;
    }

    public async Task StartAsync(CancellationToken ct)
    {
        var lease = await _store.GrantLeaseAsync(_ttl, ct).ConfigureAwait(false);
        lock (_gate)
            _lease = lease;
        _watchdog = _loops.Start("lease-keeper", WatchAsync); // waits for the lease's loss and renews it
    }

    /// <summary>Write a key held by the lease and remember it for re-announcement.</summary>
    public async Task PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        ILease? lease;
        long generation;
        Task renewed;
        lock (_gate)
        {
            _owned[key] = value;
            (lease, generation, renewed) = (_lease, _generation, _renewed.Task);
        }
        while (true)
        {
            try
            {
                await _store.PutAsync(key, value, lease, ct).ConfigureAwait(false);
            }
            catch (StoreException) when (lease is { Lost.IsCancellationRequested: true })
            {
                await renewed.WaitAsync(ct).ConfigureAwait(false); // the lease is gone: write under the next one
                lock (_gate)
                    (lease, generation, renewed) = (_lease, _generation, _renewed.Task);
                continue;
            }
            lock (_gate)
            {
                if (_generation == generation || !_owned.TryGetValue(key, out var current) || !current.Equals(value))
                    return; // same lease, or a later write or delete of the key took over
                (lease, generation, renewed) = (_lease, _generation, _renewed.Task); // a renewal ran meanwhile: write again under its lease
            }
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        lock (_gate)
            _owned.Remove(key);
        await _store.DeleteAsync(key, ct).ConfigureAwait(false);
    }

    /// <summary>The keys this host holds under its lease now (tests and diagnostics).</summary>
    public IReadOnlyCollection<string> OwnedKeys()
    {
        lock (_gate)
            return _owned.Keys.ToList();
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            ILease lease;
            lock (_gate)
                lease = _lease!;
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, lease.Lost);
                await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                await RenewAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var lease = await _store.GrantLeaseAsync(_ttl, stop).ConfigureAwait(false);
                List<KeyValuePair<string, ReadOnlyMemory<byte>>> owned;
                lock (_gate)
                    owned = _owned.ToList();
                foreach (var (key, value) in owned)
                {
                    await _store.PutAsync(key, value, lease, stop).ConfigureAwait(false);
                    bool deleted;
                    lock (_gate)
                        deleted = !_owned.ContainsKey(key);
                    if (deleted)
                        await _store.DeleteAsync(key, stop).ConfigureAwait(false); // withdrawn while being re-announced
                }
                TaskCompletionSource renewed;
                lock (_gate)
                {
                    _lease = lease;
                    _generation++;
                    renewed = _renewed;
                    _renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                renewed.TrySetResult();
                DriverLog.LeaseRenewed(_logger, owned.Count);
                return;
            }
            catch (StoreException e)
            {
                DriverLog.LeaseRenewFailed(_logger, e.Message);
                try
                {
                    await Task.Delay(delay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watchdog is not null)
            await _loops.StopAsync(_watchdog).ConfigureAwait(false);
        ILease? lease;
        lock (_gate)
            lease = _lease;
        if (lease is not null)
        {
            try
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                DriverLog.LeaseRenewFailed(_logger, e.Message);
            }
        }
    }
}
