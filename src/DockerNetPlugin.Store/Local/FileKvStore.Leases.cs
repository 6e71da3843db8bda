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
