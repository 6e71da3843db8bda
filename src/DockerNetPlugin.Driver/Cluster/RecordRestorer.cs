using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Puts this host's own records (its host record and its endpoint records, the keys its <see cref="LeaseKeeper"/>
/// holds, and its memberships, which outlive the lease: <see cref="Hold"/>) back as soon as another writer deletes or
/// overwrites them, instead of waiting for the next reconciliation:
/// peers drop a deleted record's entries at once, so the sooner it is back, the fewer packets are lost. The watches
/// report what they see (<see cref="Seen"/>) and never wait on a write; the loop
/// <c>record-restorer</c> (<see cref="RunAsync"/>) reads each reported key and writes it back only when it still
/// differs. The reconciler checks the same keys every <c>DNP_RECONCILE_INTERVAL</c> in case a watch missed a change.
/// Keys come in two forms (<see cref="ClusterKeys"/>): what this host holds is kept by logical key; the watches report
/// physical keys, and only a copy the key layout writes now (<see cref="WriteLayout.Targets"/>) of a logical key held
/// here is put back: another host's by-host copy, or a legacy copy retired by a layout switch, never is.
/// Each key has a budget of <see cref="Burst"/> write-backs per <see cref="Window"/> (a token bucket: a burst of that
/// many at once, refilled evenly): another writer that keeps overwriting a key (a second instance with this host's
/// id, a hostile one) never gets a write storm out of this host; a key over budget waits for its next token.
/// </summary>
internal sealed class RecordRestorer
{
    /// <summary>The period a key's budget of <see cref="Burst"/> write-backs refills over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>How many write-backs of one key may follow each other at once (and per <see cref="Window"/> in the long run).</summary>
    public const int Burst = 5;

    private readonly LeaseKeeper _lease;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _budgets = new(StringComparer.Ordinal); // the loop's own
    private readonly Dictionary<string, DateTimeOffset> _deferred = new(StringComparer.Ordinal); // the loop's own: key → when it is due
    private readonly object _gate = new(); // bottom level: guards _due and _wake; never held across an await
    private readonly HashSet<string> _due = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _held = new(StringComparer.Ordinal); // logical keys written without a lease
    private TaskCompletionSource _wake = NewSignal();
    private long _restored;

    public RecordRestorer(LeaseKeeper lease, ILogger logger, TimeProvider? time = null)
    {
        _lease = lease;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many records this host put back since it started (status and tests).</summary>
    public long Restored => Interlocked.Read(ref _restored);

    /// <summary>How many keys wait for their next write-back token (tests).</summary>
    public int Deferred => Volatile.Read(ref _deferredCount);

    private int _deferredCount;

    /// <summary>A record this host writes without a lease (a membership, by logical key): kept as <paramref name="value"/> from now on.</summary>
    public void Hold(string key, ReadOnlyMemory<byte> value)
    {
        lock (_gate)
            _held[key] = value;
    }

    /// <summary>This host deletes the record: no longer kept (call before the delete).</summary>
    public void Release(string key)
    {
        lock (_gate)
            _held.Remove(key);
    }

    /// <summary>What a watch of <paramref name="prefix"/> saw: keys of this host's that went or changed are written back.</summary>
    public void Seen(WatchEvent change, string prefix)
    {
        IReadOnlyList<string> differing = change switch
        {
            KvPut put => Differs(put.Entry.Key, put.Entry.Value) ? [put.Entry.Key] : [],
            KvDeleted deleted => Differs(deleted.Key, null) ? [deleted.Key] : [],
            KvResync resync => [.. _lease.DifferingUnder(prefix, resync.Snapshot.Entries), .. HeldDifferingUnder(prefix, resync.Snapshot.Entries)],
            _ => [],
        };
        if (differing.Count > 0)
            Due(differing);
    }

    private bool Differs(string physical, ReadOnlyMemory<byte>? stored)
    {
        if (LogicalOf(physical) is not { } key)
            return false;
        lock (_gate)
        {
            if (_held.TryGetValue(key, out var value))
                return OwnedValues.Differs(value, stored);
        }
        return _lease.Differs(key, stored);
    }

    /// <summary>The logical key of <paramref name="physical"/> when it is a copy the key layout writes now; else null.</summary>
    private string? LogicalOf(string physical)
    {
        if (OwnedKey.TryParse(physical) is not { } owned)
            return null;
        var logical = owned.Logical;
        return _lease.Targets(logical).Contains(physical, StringComparer.Ordinal) ? logical : null;
    }

    private List<string> HeldDifferingUnder(string prefix, IReadOnlyList<KvEntry> entries)
    {
        lock (_gate)
            return OwnedValues.DifferingUnder(_held, prefix, entries, _lease.Targets);
    }

    /// <summary>
    /// Writes a held record back when the store lost it or holds something else; a release meanwhile wins (the key is
    /// deleted again), a newer value is written. Otherwise the lease's key. True when it wrote.
    /// </summary>
    private Task<bool> WriteBackAsync(string physical, CancellationToken ct)
    {
        if (LogicalOf(physical) is not { } key)
            return Task.FromResult(false); // retired by a layout switch meanwhile
        lock (_gate)
        {
            if (!_held.ContainsKey(key))
                return _lease.RestoreAsync(key, physical, ct);
        }
        return OwnedValues.PutBackAsync(_lease.Store, physical, () =>
        {
            lock (_gate)
                return _held.TryGetValue(key, out var value) ? new Holding(HoldingState.Held, value) : Holding.Released;
        }, ct);
    }

    private void Due(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            _due.UnionWith(keys);
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// A watch of <paramref name="prefix"/> that only reports here (the legacy memberships, which no other watch reads;
    /// the host and endpoint watches hand over every event of both layouts before they merge them, by-host memberships
    /// included). A loop body for the supervisor.
    /// </summary>
    public async Task WatchAsync(string prefix, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var ev in _lease.Store.WatchPrefixAsync(prefix, 0, ct).ConfigureAwait(false))
                    Seen(ev, prefix);
            }
            catch (StoreException e)
            {
                DriverLog.WatchFailed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The loop body: writes back every reported key that still differs. A store error leaves it to the reconciler.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            List<string> keys;
            Task wake;
            lock (_gate)
            {
                keys = [.. _due];
                _due.Clear();
                if (keys.Count == 0)
                    _wake = NewSignal();
                wake = _wake.Task;
            }
            keys.AddRange(_deferred.Where(d => d.Value <= now).Select(d => d.Key).Where(k => !keys.Contains(k)));
            foreach (var key in keys)
                await RestoreAsync(key, now, ct).ConfigureAwait(false);
            Volatile.Write(ref _deferredCount, _deferred.Count);
            if (keys.Count > 0)
                continue;
            if (_deferred.Count == 0)
            {
                await wake.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            var next = _deferred.Values.Min() - now;
            await Task.WhenAny(wake, Task.Delay(next > TimeSpan.Zero ? next : TimeSpan.Zero, _time, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task RestoreAsync(string key, DateTimeOffset now, CancellationToken ct)
    {
        var tokens = _budgets.TryGetValue(key, out var budget)
            ? Math.Min(Burst, budget.Tokens + (now - budget.At) / Window * Burst)
            : Burst;
        if (tokens < 1)
        {
            _deferred[key] = now + (1 - tokens) / Burst * Window; // when its next token is there
            return;
        }
        _deferred.Remove(key);
        try
        {
            if (await WriteBackAsync(key, ct).ConfigureAwait(false))
            {
                _budgets[key] = (tokens - 1, now);
                Interlocked.Increment(ref _restored);
                DriverLog.OwnRecordRestored(_logger, key);
            }
        }
        catch (StoreException e)
        {
            DriverLog.OwnRecordRestoreFailed(_logger, key, e.Message);
        }
        foreach (var full in _budgets.Where(b => b.Value.Tokens + (now - b.Value.At) / Window * Burst >= Burst).Select(b => b.Key).ToList())
            _budgets.Remove(full); // a full budget is the default
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
