namespace DockerNetPlugin.Store.Local;

public sealed partial class FileKvStore
{
    /// <summary>Loads snapshot + log, drops a torn tail, expires the previous process's leases, then compacts.</summary>
    private void Load()
    {
        ulong revision = 1; // a fresh store starts at 1, like etcd, so a listed revision is always usable
        if (File.Exists(_dir.SnapshotPath))
        {
            try
            {
                var (snapshotRevision, entries) = StoreFileFormat.ReadSnapshot(File.ReadAllBytes(_dir.SnapshotPath));
                foreach (var e in entries)
                {
                    _entries[e.Key] = e;
                    _keys.Add(e.Key);
                }
                revision = snapshotRevision;
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new StoreException($"embedded store snapshot '{_dir.SnapshotPath}' is damaged ({e.Message}); restore it from a backup or move the directory away", e);
            }
        }
        _revision = revision;
        if (File.Exists(_dir.WalPath))
            ReplayLog(File.ReadAllBytes(_dir.WalPath));
        ExpirePreviousLeases();
        Compact();
        _history.Clear();
        _historyFloor = _revision;
        FileKvStoreLog.Opened(_log, _dir.Path, _revision, _entries.Count);
    }

    private void ReplayLog(byte[] log)
    {
        var offset = 0;
        while (offset < log.Length)
        {
            var payload = StoreFileFormat.TryReadFrame(log, offset, out var next);
            KvBatch? batch = null;
            if (payload is not null)
            {
                try
                {
                    batch = StoreFileFormat.DecodeBatch(payload);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    batch = null;
                }
            }
            if (batch is null)
            {
                FileKvStoreLog.TornTailDropped(_log, _dir.Path, offset, log.Length);
                // A reader of the crashed process may have seen the torn batch's revision: never hand it out again.
                _revision++;
                return;
            }
            if (batch.Revision > _revision)
                Apply(batch, events: null);
            offset = next;
        }
    }

    private void ExpirePreviousLeases()
    {
        var leased = _entries.Values.Where(e => e.LeaseId is not null).Select(e => KvMutation.Delete(e.Key)).ToList();
        if (leased.Count == 0)
            return;
        Apply(new KvBatch(_revision + 1, leased), events: null);
        FileKvStoreLog.ExpiredPreviousLeases(_log, _dir.Path, leased.Count);
    }

    /// <summary>
    /// Writes the whole state as a snapshot (temp file, fsync, rename, directory fsync), then empties the log.
    /// Log batches not yet written are at or below the snapshot's revision and are skipped at load.
    /// Caller holds <see cref="_flushLock"/> (or is <see cref="Load"/>).
    /// </summary>
    private void Compact()
    {
        ulong revision;
        KvEntry[] entries;
        lock (_gate)
        {
            revision = _revision;
            entries = [.. _keys.Select(k => _entries[k])];
        }
        try
        {
            using (var tmp = PrivateFiles.Open(_dir.SnapshotTempPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                StoreFileFormat.WriteSnapshot(tmp, revision, entries);
                tmp.Flush(flushToDisk: true);
            }
            File.Move(_dir.SnapshotTempPath, _dir.SnapshotPath, overwrite: true);
            _wal ??= PrivateFiles.Open(_dir.WalPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
            _dir.SyncDirectory(); // makes both the rename and a newly created log durable
            _wal.SetLength(0);
            _wal.Position = 0;
            _wal.Flush(flushToDisk: true);
            _walBytes = 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(e);
        }
        FileKvStoreLog.Compacted(_log, _dir.Path, revision);
    }
}
