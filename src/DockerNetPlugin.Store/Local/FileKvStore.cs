using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Store.Local;

/// <summary>
/// The embedded single-host store (<c>DNP_STORE=file:///var/lib/dnp</c>, kv.md §4.7). State lives in
/// memory; every write is appended to a CRC-framed log and fsynced before the call returns (concurrent
/// writers share one fsync), and the log is compacted into a snapshot written by temp file + fsync +
/// rename. One global revision counter is persisted with every batch, so versions never repeat across
/// restarts. One process owns the directory (flock). Leases are in-process; at open, keys of the
/// previous process's leases are deleted, except those of leases it detached that have not expired yet (a graceful
/// stop): those count down from where they were, and <see cref="ResumeLeaseAsync"/> takes them back.
/// </summary>
/// <remarks>
/// Lock order: <see cref="_flushLock"/> → <see cref="_publishGate"/> → <see cref="_gate"/>; never the reverse.
/// Reads see a write as soon as it is applied; watchers see it once it is durable.
/// </remarks>
public sealed partial class FileKvStore : IKvStore
{
    private readonly FileKvStoreOptions _options;
    private readonly StoreDirectory _dir;
    private readonly ILogger _log;

    /// <summary>Guards the state below: entries, key index, revision, leases, the not-yet-written log bytes and events.</summary>
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KvEntry> _entries = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileLease> _leases = new(StringComparer.Ordinal);

    /// <summary>Serialises rewrites of the <c>detached-leases</c> file.</summary>
    private readonly Lock _detachedFileGate = new();
    private ulong _revision;
    private readonly MemoryStream _pending = new();
    private List<WatchEvent> _pendingEvents = [];
    private long _appendedBatches;
    private bool _disposed;

    /// <summary>Serialises log writes, fsync, compaction and event publication (outermost lock).</summary>
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private FileStream? _wal;
    private long _walBytes;
    private long _durableBatches;
    private volatile Exception? _fault;

    private FileKvStore(FileKvStoreOptions options, StoreDirectory dir, ILogger log)
    {
        _options = options;
        _dir = dir;
        _log = log;
        _history = new Queue<WatchEvent>(Math.Min(options.WatchHistory, 1024));
    }

    public string Description => $"file://{_dir.Path}";

    /// <summary>Opens (creating if needed) the store in <paramref name="directory"/> with default settings.</summary>
    public static Task<FileKvStore> OpenAsync(string directory, CancellationToken ct) =>
        OpenAsync(new FileKvStoreOptions(directory), null, ct);

    /// <summary>Opens the store, takes the directory lock, recovers the log, and expires the previous process's leases.</summary>
    public static Task<FileKvStore> OpenAsync(FileKvStoreOptions options, ILoggerFactory? loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Directory))
            throw new StoreException("embedded store needs a directory, e.g. file:///var/lib/dnp");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WatchHistory, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WatchBuffer, 1, nameof(options));
        ct.ThrowIfCancellationRequested();
        var dir = StoreDirectory.Acquire(options.Directory);
        try
        {
            var store = new FileKvStore(options, dir, (loggers ?? NullLoggerFactory.Instance).CreateLogger<FileKvStore>());
            store.Load();
            return Task.FromResult(store);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public Task<KvEntry?> GetAsync(string key, CancellationToken ct)
    {
        KvRequest.ValidateKey(key);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfUnusable();
            return Task.FromResult(_entries.GetValueOrDefault(key));
        }
    }

    public Task<KvSnapshot> ListAsync(string prefix, CancellationToken ct)
    {
        KvRequest.ValidatePrefix(prefix);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(ListCore(prefix));
    }

    public Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct)
    {
        KvRequest.ValidateWrite(key, value);
        var leaseId = LeaseIdOf(lease);
        var bytes = value.ToArray();
        return WriteAsync<ulong>(next =>
        {
            ThrowIfLeaseGone(leaseId);
            return ([PutMutation(key, bytes, leaseId, next)], next);
        }, ct);
    }

    public Task<CasResult> CompareAndSetAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, ILease? lease, CancellationToken ct)
    {
        KvRequest.ValidateWrite(key, value);
        var leaseId = LeaseIdOf(lease);
        var bytes = value.ToArray();
        return WriteAsync<CasResult>(next =>
        {
            var current = _entries.GetValueOrDefault(key);
            if ((current?.Version ?? 0) != expectedVersion)
                return (null, new CasResult(false, 0, current));
            ThrowIfLeaseGone(leaseId);
            return ([PutMutation(key, bytes, leaseId, next)], new CasResult(true, next, null));
        }, ct);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        KvRequest.ValidateKey(key);
        return WriteAsync<bool>(_ => _entries.ContainsKey(key) ? ([KvMutation.Delete(key)], true) : (null, false), ct);
    }

    public Task<bool> CompareAndDeleteAsync(string key, ulong expectedVersion, CancellationToken ct)
    {
        KvRequest.ValidateCompareAndDelete(key, expectedVersion);
        return WriteAsync<bool>(_ => _entries.TryGetValue(key, out var current) && current.Version == expectedVersion
            ? ([KvMutation.Delete(key)], true)
            : (null, false), ct);
    }

    public Task<bool> CommitAsync(IReadOnlyList<KvOp> ops, CancellationToken ct)
    {
        KvRequest.ValidateOps(ops);
        var leaseIds = ops.Select(op => op is KvSetOp set ? LeaseIdOf(set.Lease) : null).ToArray();
        var values = ops.Select(op => op is KvSetOp set ? set.Value.ToArray() : null).ToArray();
        return WriteAsync<bool>(next =>
        {
            foreach (var op in ops)
            {
                var version = _entries.GetValueOrDefault(op.Key)?.Version ?? 0;
                var expected = op switch
                {
                    KvSetOp s => s.ExpectedVersion,
                    KvDeleteOp d => d.ExpectedVersion,
                    KvCheckOp c => c.ExpectedVersion,
                    _ => null,
                };
                if (expected is { } e && e != version)
                    return (null, false);
            }
            var mutations = new List<KvMutation>(ops.Count);
            for (var i = 0; i < ops.Count; i++)
            {
                switch (ops[i])
                {
                    case KvSetOp set:
                        ThrowIfLeaseGone(leaseIds[i]);
                        mutations.Add(PutMutation(set.Key, values[i]!, leaseIds[i], next));
                        break;
                    case KvDeleteOp del when _entries.ContainsKey(del.Key):
                        mutations.Add(KvMutation.Delete(del.Key));
                        break;
                }
            }
            return (mutations, true);
        }, ct);
    }

    public Task<StoreHealth> CheckHealthAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_disposed)
                return Task.FromResult(new StoreHealth(false, $"embedded store {_dir.Path} is closed"));
            if (_fault is { } fault)
                return Task.FromResult(new StoreHealth(false, $"embedded store {_dir.Path} failed to persist: {fault.Message}"));
            return Task.FromResult(new StoreHealth(true, $"embedded store {_dir.Path} at revision {_revision}, {_entries.Count} keys"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<FileLease> leases;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            leases = [.. _leases.Values];
            _leases.Clear();
        }
        // Keys of live leases stay on disk; the next open treats these leases as expired and deletes them
        // (detached ones are in detached-leases and live on until their TTL runs out).
        foreach (var lease in leases)
            lease.TryEnd();
        await _flushLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_fault is null)
            {
                try
                {
                    FlushPendingLocked();
                }
                catch (StoreException)
                {
                    // Already logged; nothing more can be saved.
                }
            }
            lock (_publishGate)
            {
                foreach (var sub in _subscribers)
                    sub.Complete();
            }
            _wal?.Dispose();
            _dir.Dispose();
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private KvSnapshot ListCore(string prefix)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            var view = _keys.GetViewBetween(prefix, prefix + char.MaxValue);
            var entries = new List<KvEntry>(view.Count);
            foreach (var key in view)
                entries.Add(_entries[key]);
            return new KvSnapshot(entries, _revision);
        }
    }

    private KvMutation PutMutation(string key, byte[] value, string? leaseId, ulong next) =>
        new(key, value, _entries.TryGetValue(key, out var current) ? current.CreateVersion : next, leaseId);

    /// <summary>
    /// Runs <paramref name="decide"/> under the state lock with the revision the write would get; if it returns
    /// mutations they are applied as one batch at that revision, and the call returns once the batch is durable.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<ulong, (List<KvMutation>? Mutations, T Result)> decide, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        long batchNumber;
        T result;
        lock (_gate)
        {
            ThrowIfUnusable();
            var next = _revision + 1;
            (var mutations, result) = decide(next);
            if (mutations is null || mutations.Count == 0)
                return result;
            var batch = new KvBatch(next, mutations);
            StoreFileFormat.WriteFrame(_pending, StoreFileFormat.EncodeBatch(batch));
            Apply(batch, _pendingEvents);
            batchNumber = ++_appendedBatches;
        }
        // Once applied, the write must reach the disk whatever the caller's token says.
        await _flushLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (Interlocked.Read(ref _durableBatches) < batchNumber)
                FlushPendingLocked();
        }
        finally
        {
            _flushLock.Release();
        }
        return result;
    }

    /// <summary>Writes and fsyncs every pending batch, publishes their events, compacts if due. Caller holds <see cref="_flushLock"/>.</summary>
    private void FlushPendingLocked()
    {
        if (_fault is { } fault)
            throw Faulted(fault);
        byte[] bytes;
        List<WatchEvent> events;
        long upTo;
        lock (_gate)
        {
            bytes = _pending.ToArray();
            _pending.SetLength(0);
            events = _pendingEvents;
            _pendingEvents = [];
            upTo = _appendedBatches;
        }
        if (bytes.Length == 0)
            return;
        try
        {
            _wal!.Write(bytes);
            _wal.Flush(flushToDisk: true);
            _walBytes += bytes.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            throw Fail(e);
        }
        Interlocked.Exchange(ref _durableBatches, upTo);
        Publish(events);
        if (_walBytes >= _options.CompactAfterBytes)
            Compact();
    }

    private void Apply(KvBatch batch, List<WatchEvent>? events)
    {
        var rev = batch.Revision;
        foreach (var m in batch.Mutations)
        {
            if (m.Value is null)
            {
                if (_entries.Remove(m.Key))
                {
                    _keys.Remove(m.Key);
                    events?.Add(new KvDeleted(m.Key, rev));
                }
                continue;
            }
            var entry = new KvEntry(m.Key, m.Value, rev, m.CreateVersion == 0 ? rev : m.CreateVersion, m.LeaseId);
            _entries[m.Key] = entry;
            _keys.Add(m.Key);
            events?.Add(new KvPut(entry, rev));
        }
        _revision = rev;
    }

    /// <summary>Caller holds <see cref="_gate"/>.</summary>
    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is { } fault)
            throw Faulted(fault);
    }

    private StoreUnavailableException Fail(Exception e)
    {
        _fault = e;
        FileKvStoreLog.PersistFailed(_log, _dir.Path, e);
        return Faulted(e);
    }

    private StoreUnavailableException Faulted(Exception fault) =>
        new($"embedded store {_dir.Path} could not persist a write ({fault.Message}); fix the disk and restart dnp", fault);

    private static string NewLeaseId() => "file-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
