using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Puts this host's own records (its host record and its endpoint records, the keys its <see cref="LeaseKeeper"/>
/// holds) back as soon as another writer deletes or overwrites them, instead of waiting for the next reconciliation:
/// peers drop a deleted record's entries at once, so the sooner it is back, the fewer packets are lost. The watches
/// report what they see (<see cref="Seen"/>) and never wait on a write; the loop
/// <c>record-restorer</c> (<see cref="RunAsync"/>) reads each reported key and writes it back only when it still
/// differs. The reconciler checks the same keys every <c>DNP_RECONCILE_INTERVAL</c> in case a watch missed a change.
/// </summary>
internal sealed class RecordRestorer
{
    private readonly LeaseKeeper _lease;
    private readonly ILogger _logger;
    private readonly object _gate = new(); // bottom level: guards _due and _wake; never held across an await
    private readonly HashSet<string> _due = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = NewSignal();
    private long _restored;

    public RecordRestorer(LeaseKeeper lease, ILogger logger)
    {
        _lease = lease;
        _logger = logger;
    }

    /// <summary>How many records this host put back since it started (status and tests).</summary>
    public long Restored => Interlocked.Read(ref _restored);

    /// <summary>What a watch of <paramref name="prefix"/> saw: keys of this host's that went or changed are written back.</summary>
    public void Seen(WatchEvent change, string prefix)
    {
        IReadOnlyList<string> differing = change switch
        {
            KvPut put => _lease.Differs(put.Entry.Key, put.Entry.Value) ? [put.Entry.Key] : [],
            KvDeleted deleted => _lease.Differs(deleted.Key, null) ? [deleted.Key] : [],
            KvResync resync => _lease.DifferingUnder(prefix, resync.Snapshot.Entries),
            _ => [],
        };
        if (differing.Count > 0)
            Due(differing);
    }

    private void Due(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            _due.UnionWith(keys);
            _wake.TrySetResult();
        }
    }

    /// <summary>The loop body: writes back every reported key that still differs. A store error leaves it to the reconciler.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
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
            if (keys.Count == 0)
            {
                await wake.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            foreach (var key in keys)
            {
                try
                {
                    if (await _lease.RestoreAsync(key, ct).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref _restored);
                        DriverLog.OwnRecordRestored(_logger, key);
                    }
                }
                catch (StoreException e)
                {
                    DriverLog.OwnRecordRestoreFailed(_logger, key, e.Message);
                }
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
