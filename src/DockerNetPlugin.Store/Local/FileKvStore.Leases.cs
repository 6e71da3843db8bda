namespace DockerNetPlugin.Store.Local;

public sealed partial class FileKvStore
{
    /// <summary>Grants an in-process lease; TTLs below <see cref="KvLimits.MinLeaseTtl"/> are raised to it.</summary>
    public Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (ttl < KvLimits.MinLeaseTtl)
            ttl = KvLimits.MinLeaseTtl;
        var lease = new FileLease(this, NewLeaseId(), ttl);
        lock (_gate)
        {
            ThrowIfUnusable();
            _leases.Add(lease.Id, lease);
        }
        return Task.FromResult<ILease>(lease);
    }

    /// <summary>
    /// Takes back a lease detached by this process or by the previous owner of the directory (within its TTL): it is
    /// renewed from now on. Null when it expired, was revoked, or was never detached here.
    /// </summary>
    public async Task<ILease?> ResumeLeaseAsync(string id, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ct.ThrowIfCancellationRequested();
        FileLease? lease;
        lock (_gate)
        {
            ThrowIfUnusable();
            lease = _leases.GetValueOrDefault(id);
            if (lease is null || !lease.IsDetached)
                return lease; // unknown, or already renewed by this process
            lease.Resume();
        }
        await RecordDetachedAsync().ConfigureAwait(false);
        FileKvStoreLog.LeaseResumed(_log, id);
        return lease;
    }

    /// <summary>Rewrites <c>detached-leases</c> with the leases now detached (temp file, rename, directory fsync).</summary>
    internal Task RecordDetachedAsync()
    {
        List<FileLease> detached;
        lock (_gate)
        {
            if (_disposed)
                return Task.CompletedTask;
            detached = _leases.Values.Where(l => l.IsDetached).ToList();
        }
        var text = string.Concat(detached.Select(l => FormattableString.Invariant(
            $"{l.Id} {(long)l.GrantedTtl.TotalMilliseconds} {l.ExpiresAt.ToUnixTimeMilliseconds()}\n")));
        lock (_detachedFileGate)
        {
            try
            {
                var tmp = _dir.DetachedLeasesPath + ".tmp";
                File.WriteAllText(tmp, text);
                File.Move(tmp, _dir.DetachedLeasesPath, overwrite: true);
                _dir.SyncDirectory();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreUnavailableException($"embedded store {_dir.Path} could not record a detached lease: {e.Message}", e);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The detached leases the previous process left that have not expired yet (id → TTL, time left).</summary>
    private Dictionary<string, (TimeSpan Ttl, TimeSpan Remaining)> ReadDetachedLeases()
    {
        var result = new Dictionary<string, (TimeSpan, TimeSpan)>(StringComparer.Ordinal);
        if (!File.Exists(_dir.DetachedLeasesPath))
            return result;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var line in File.ReadAllLines(_dir.DetachedLeasesPath))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[0].StartsWith("file-", StringComparison.Ordinal)
                && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var ttl) && ttl > 0
                && long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var expires) && expires > now)
            {
                result[parts[0]] = (TimeSpan.FromMilliseconds(ttl), TimeSpan.FromMilliseconds(Math.Min(expires - now, ttl)));
            }
        }
        return result;
    }

    /// <summary>Test hook: ends the lease as if it had expired on the server (its keys vanish, <see cref="ILease.Lost"/> fires).</summary>
    internal Task ExpireLeaseNowAsync(ILease lease)
    {
        var fileLease = (FileLease)lease;
        return fileLease.TryEnd() ? EndLeaseAsync(fileLease, lost: true) : Task.CompletedTask;
    }

    /// <summary>Deletes every key of the lease in one revision; on expiry also fires <see cref="ILease.Lost"/>.</summary>
    internal async Task EndLeaseAsync(FileLease lease, bool lost)
    {
        try
        {
            await WriteAsync<int>(_ =>
            {
                if (!_leases.Remove(lease.Id))
                    return (null, 0);
                var keys = _entries.Values.Where(e => e.LeaseId == lease.Id).Select(e => KvMutation.Delete(e.Key)).ToList();
                return (keys, 0);
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The store closed first: its next open expires this lease's keys.
        }
        catch (StoreException e) when (lost)
        {
            FileKvStoreLog.LeaseEndFailed(_log, lease.Id, e);
        }
        finally
        {
            if (lost)
            {
                FileKvStoreLog.LeaseExpired(_log, lease.Id);
                lease.MarkLost();
            }
        }
    }

    private string? LeaseIdOf(ILease? lease) => lease switch
    {
        null => null,
        FileLease f when ReferenceEquals(f.Store, this) => f.Id,
        _ => throw new ArgumentException($"lease {lease.Id} was not granted by {Description}", nameof(lease)),
    };

    /// <summary>Caller holds <see cref="_gate"/>.</summary>
    private void ThrowIfLeaseGone(string? leaseId)
    {
        if (leaseId is not null && !_leases.ContainsKey(leaseId))
            throw new StoreLeaseLostException($"lease {leaseId} of {Description} has expired or was revoked; grant a new lease and write the key again");
    }
}
