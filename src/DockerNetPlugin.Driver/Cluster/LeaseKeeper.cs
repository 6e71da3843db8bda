using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Holds this host's lease. Every key written through it (the host record, published endpoints) vanishes from
/// the cluster when the host dies. Keys are given in their logical (legacy) form and written in the key layouts
/// <see cref="WriteLayout"/> says (<see cref="ApplyLayoutAsync"/> after it changed). When the lease is lost (store outage longer than its TTL), a new one is
/// granted and the owned keys are written again.
/// A stop is not a death: <see cref="DisposeAsync"/> hands the keys to a parking lease with a long TTL
/// (<c>DNP_STOP_GRACE</c>) and leaves it to expire, and the next start resumes whichever lease the state dir names,
/// moves the keys the host still has onto a fresh lease, and revokes the old one (<see cref="ReleasePreviousAsync"/>):
/// only records of endpoints that left while the plugin was down go. Peers never see the others deleted.
/// No lock is held across a store call: writers of different keys (Joins on different networks) never queue behind
/// each other or behind a renewal during a store outage. Writes of one key are serialised by its caller (an endpoint
/// key by its network's lock). A write that overlapped a renewal is checked afterwards and repeated under the new
/// lease; a key deleted while a renewal re-wrote it is deleted again.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    /// <summary>How long a stop may spend handing the keys over before it leaves them to the current lease.</summary>
    private static readonly TimeSpan s_parkTimeout = TimeSpan.FromSeconds(5);

    private readonly IKvStore _store;
    private readonly RecordStore _local;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _stopGrace;
    private readonly ILogger _logger;
    private readonly object _gate = new(); // bottom level: guards _owned, _lease and _generation; never held across an await
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _owned = new();
    private readonly Trust.LoopSupervisor _loops;
    private readonly WriteLayout _layout;
    private ILease? _lease;
    private ILease? _previous; // the lease the previous process left (resumed), until the restore took its keys over
    private long _generation; // bumped each time a new lease replaces the old one
    private Trust.SupervisedLoop? _watchdog;
    private TaskCompletionSource _renewed = new(TaskCreationOptions.RunContinuationsAsynchronously); // completed and replaced at each renewal

    /// <param name="local">The local state dir's store: where the id of the lease to resume at the next start is kept.</param>
    /// <param name="layout">Where the keys go: the owned keys are logical (legacy-form) keys, written to the copies the layout says.</param>
    public LeaseKeeper(IKvStore store, RecordStore local, TimeSpan ttl, TimeSpan stopGrace, ILogger logger, Trust.LoopSupervisor loops, WriteLayout layout)
    {
        _layout = layout;
        _store = store;
        _local = local;
        _ttl = ttl;
        _stopGrace = stopGrace;
        _logger = logger;
        _loops = loops;
    }

    /// <summary>The store this keeper writes to.</summary>
    public IKvStore Store => _store;

    /// <summary>The id of the lease the previous process left that was still alive at start (null once released, or when none was).</summary>
    public string? ResumedLeaseId => Volatile.Read(ref _previous)?.Id;

    /// <summary>The current lease's id (tests and diagnostics).</summary>
    public string? LeaseId
    {
        get
        {
            lock (_gate)
                return _lease?.Id;
        }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        var previous = await ResumePreviousAsync(ct).ConfigureAwait(false);
        ILease lease;
        try
        {
            lease = await _store.GrantLeaseAsync(_ttl, ct).ConfigureAwait(false);
        }
        catch
        {
            if (previous is not null)
                await previous.DetachAsync().ConfigureAwait(false); // the next attempt resumes it again
            throw;
        }
        lock (_gate)
            _lease = lease;
        Volatile.Write(ref _previous, previous);
        await RememberAsync(lease, ct).ConfigureAwait(false); // the keys move to it from now on
        _watchdog = _loops.Start("lease-keeper", WatchAsync); // waits for the lease's loss and renews it
    }

    /// <summary>
    /// Once this host re-published what it still has (host record, joined endpoints): revoke the lease the previous
    /// process left, so the records it no longer has (endpoints that left while it was down) go, and only those.
    /// </summary>
    public async Task ReleasePreviousAsync(CancellationToken ct)
    {
        var previous = Interlocked.Exchange(ref _previous, null);
        if (previous is null)
            return;
        try
        {
            await previous.DisposeAsync().ConfigureAwait(false);
            DriverLog.PreviousLeaseReleased(_logger, previous.Id);
        }
        catch (StoreException e)
        {
            DriverLog.LeaseRenewFailed(_logger, $"the previous lease {previous.Id} could not be revoked (it expires by itself): {e.Message}");
        }
    }

    /// <summary>The lease the state dir names, if the store still knows it: its keys stay in place until moved.</summary>
    private async Task<ILease?> ResumePreviousAsync(CancellationToken ct)
    {
        var memo = (await _local.GetAsync(ClusterKeys.LocalLease, DriverJsonContext.Default.HeldLease, ct).ConfigureAwait(false))?.Value;
        if (memo is null || memo.Store != _store.Description)
            return null;
        var lease = await _store.ResumeLeaseAsync(memo.Id, TimeSpan.FromSeconds(memo.TtlSeconds), ct).ConfigureAwait(false);
        DriverLog.PreviousLease(_logger, memo.Id, lease is null ? "expired: its records were removed, this host publishes them again" : "alive: its records stayed");
        return lease;
    }

    /// <summary>Writes the id of the lease the next start should resume into the local state dir.</summary>
    private Task RememberAsync(ILease lease, CancellationToken ct) =>
        _local.PutAsync(ClusterKeys.LocalLease, new HeldLease(lease.Id, lease.GrantedTtl.TotalSeconds, _store.Description), DriverJsonContext.Default.HeldLease, null, ct);

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
                await PutCopiesAsync(key, value, lease, ct).ConfigureAwait(false);
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

    /// <summary>Stop holding a key (a renewal no longer writes it); its delete follows separately.</summary>
    public void Disown(string key)
    {
        lock (_gate)
            _owned.Remove(key);
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        lock (_gate)
            _owned.Remove(key);
        await DeleteCopiesAsync(_layout.Copies(key), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// After the write layout changed (<see cref="WriteLayout.Update"/>): every owned key is written where the layout
    /// writes now, and its copies the layout no longer writes are deleted (a host's own legacy copies go once every live
    /// host reads the by-host layout; they come back if a host that does not joins).
    /// </summary>
    public async Task ApplyLayoutAsync(CancellationToken ct)
    {
        ILease? lease;
        List<KeyValuePair<string, ReadOnlyMemory<byte>>> owned;
        lock (_gate)
        {
            lease = _lease;
            owned = InWriteOrder(_owned);
        }
        foreach (var (key, value) in owned)
        {
            await PutCopiesAsync(key, value, lease, ct).ConfigureAwait(false);
            await DeleteCopiesAsync(_layout.Retired(key), ct).ConfigureAwait(false);
        }
        bool gone;
        foreach (var (key, _) in owned)
        {
            lock (_gate)
                gone = !_owned.ContainsKey(key);
            if (gone)
                await DeleteCopiesAsync(_layout.Copies(key), ct).ConfigureAwait(false); // withdrawn while the layout pass re-wrote it
        }
    }

    private async Task PutCopiesAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct)
    {
        foreach (var target in _layout.Targets(key))
            await _store.PutAsync(target, value, lease, ct).ConfigureAwait(false);
    }

    private async Task DeleteCopiesAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        foreach (var key in keys)
            await _store.DeleteAsync(key, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the store's <paramref name="stored"/> bytes (null: the key is absent) differ from what this host holds
    /// under <paramref name="key"/>; false for a key it does not hold.
    /// </summary>
    public bool Differs(string key, ReadOnlyMemory<byte>? stored)
    {
        lock (_gate)
            return _owned.TryGetValue(key, out var value) && OwnedValues.Differs(value, stored);
    }

    /// <summary>
    /// The physical keys (where the key layout writes this host's held keys now) under <paramref name="prefix"/> that
    /// <paramref name="entries"/> (a full read of it) lacks or holds otherwise.
    /// </summary>
    public IReadOnlyList<string> DifferingUnder(string prefix, IReadOnlyList<KvEntry> entries)
    {
        lock (_gate)
            return OwnedValues.DifferingUnder(_owned, prefix, entries, _layout.Targets);
    }

    /// <summary>Where the key layout writes <paramref name="key"/> (a logical key) now.</summary>
    public IReadOnlyList<string> Targets(string key) => _layout.Targets(key);

    /// <summary>
    /// Puts back a key this host holds when the store lost it or holds something else there (another writer deleted or
    /// overwrote it): read first, written only when it differs, under the current lease. As in a renewal, a withdraw or
    /// a newer write of the key meanwhile wins: a withdrawn key is deleted again, a newer value written. With the lease
    /// lost, nothing is written here (its renewal writes every key again). <paramref name="key"/> is the logical key,
    /// <paramref name="physical"/> the copy to put back (one of its <see cref="Targets"/>). True when it wrote.
    /// </summary>
    public Task<bool> RestoreAsync(string key, string physical, CancellationToken ct) =>
        OwnedValues.PutBackAsync(_store, physical, () =>
        {
            lock (_gate)
            {
                if (!_owned.TryGetValue(key, out var value))
                    return Holding.Released;
                if (_lease is not { } lease || lease.Lost.IsCancellationRequested || !_layout.Targets(key).Contains(physical, StringComparer.Ordinal))
                    return Holding.Stopped; // no lease to write with, or a copy the key layout no longer writes (retired by a switch): never put back
                return new Holding(HoldingState.Held, value, lease, _generation);
            }
        }, ct);

    /// <summary>
    /// The host record goes last: peers take its return as "this host published again all it has" and drop the records
    /// of it they kept that did not come back.
    /// </summary>
    private static List<KeyValuePair<string, ReadOnlyMemory<byte>>> InWriteOrder(Dictionary<string, ReadOnlyMemory<byte>> owned) =>
        owned.OrderBy(kv => kv.Key.StartsWith(ClusterKeys.HostsPrefix, StringComparison.Ordinal) ? 1 : 0).ToList();

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
                    owned = InWriteOrder(_owned);
                foreach (var (key, value) in owned)
                {
                    await PutCopiesAsync(key, value, lease, stop).ConfigureAwait(false);
                    bool deleted;
                    lock (_gate)
                        deleted = !_owned.ContainsKey(key);
                    if (deleted)
                        await DeleteCopiesAsync(_layout.Copies(key), stop).ConfigureAwait(false); // withdrawn while being re-announced
                }
                await RememberAsync(lease, stop).ConfigureAwait(false);
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

    /// <summary>
    /// A stop (SIGTERM, plugin disable or upgrade) is not a departure: the keys move to a parking lease with the stop
    /// grace as TTL, which is left to expire and remembered for the next start; the current lease is then revoked
    /// (it holds nothing). If the store does not take the hand-over in time, the current lease is only detached: the
    /// keys then live as long as its TTL.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_watchdog is not null)
            await _loops.StopAsync(_watchdog).ConfigureAwait(false);
        ILease? lease;
        List<KeyValuePair<string, ReadOnlyMemory<byte>>> owned;
        lock (_gate)
        {
            lease = _lease;
            owned = InWriteOrder(_owned);
        }
        if (lease is not null)
            await ParkAsync(lease, owned).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _previous, null) is { } previous)
            await previous.DetachAsync().ConfigureAwait(false); // the restore never finished: what it still holds waits for the next start
    }

    private async Task ParkAsync(ILease lease, List<KeyValuePair<string, ReadOnlyMemory<byte>>> owned)
    {
        using var timeout = new CancellationTokenSource(s_parkTimeout);
        ILease? parked = null;
        try
        {
            if (!lease.Lost.IsCancellationRequested)
            {
                parked = await _store.GrantLeaseAsync(_stopGrace, timeout.Token).ConfigureAwait(false);
                foreach (var (key, value) in owned)
                    await PutCopiesAsync(key, value, parked, timeout.Token).ConfigureAwait(false);
                await RememberAsync(parked, timeout.Token).ConfigureAwait(false);
                await parked.DetachAsync().ConfigureAwait(false);
                await lease.DisposeAsync().ConfigureAwait(false); // revoke: every key moved away
                DriverLog.LeaseParked(_logger, owned.Count, parked.Id, _stopGrace.TotalSeconds);
                return;
            }
        }
        catch (Exception e) when (e is StoreException or OperationCanceledException)
        {
            DriverLog.LeaseParkFailed(_logger, e.Message, lease.GrantedTtl.TotalSeconds);
            if (parked is not null)
                await parked.DetachAsync().ConfigureAwait(false); // keys it took stay for the grace; the rest stay on the current lease
        }
        await lease.DetachAsync().ConfigureAwait(false);
        try
        {
            await RememberAsync(parked ?? lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            DriverLog.LeaseParkFailed(_logger, e.Message, lease.GrantedTtl.TotalSeconds);
        }
    }
}
