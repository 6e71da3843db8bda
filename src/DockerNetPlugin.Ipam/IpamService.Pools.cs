using DockerNetPlugin.Store;

namespace DockerNetPlugin.Ipam;

/// <summary>RequestPool / ReleasePool.</summary>
public sealed partial class IpamService
{
    /// <summary>
    /// An explicit <c>--subnet</c> joins the pool of that CIDR if it exists for the same
    /// <c>dnp.network</c> (or both have none; a pool without one adopts the first it is given), adding a hold
    /// of this host; it is refused when it intersects another pool. No subnet: a fresh default pool that
    /// overlaps nothing any host holds, so Docker's overlap loop always gets a different pool.
    /// </summary>
    public async Task<PoolAllocation> RequestPoolAsync(PoolRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_spaces.IsKnown(request.AddressSpace))
            throw new InvalidIpamRequestException(
                $"address space '{request.AddressSpace}' is not one of this driver's ('{_spaces.Local}', '{_spaces.Global}')");
        var options = request.Options ?? s_empty;
        var network = options.GetValueOrDefault(IpamLabels.Network) is { Length: > 0 } n ? n : null;
        var family = request.V6 ? "IPv6" : "IPv4";

        Cidr? pool = string.IsNullOrEmpty(request.Pool) ? null : Cidr.Parse(request.Pool, "--subnet");
        if (pool is { } p && p.V6 != request.V6)
            throw new InvalidIpamRequestException($"--subnet {p} is not an {family} subnet, but Docker asked for the {family} pool");
        if (pool is { IsUnspecified: true })
            pool = null;

        Cidr? subPool = null;
        if (!string.IsNullOrEmpty(request.SubPool))
        {
            if (pool is null)
                throw new InvalidIpamRequestException($"--ip-range {request.SubPool} needs a --subnet that contains it");
            var s = Cidr.Parse(request.SubPool, "--ip-range");
            if (!pool.Value.Contains(s))
                throw new InvalidIpamRequestException($"--ip-range {s} is not inside --subnet {pool}; choose a range within the subnet");
            subPool = s;
        }

        var cidr = pool is null
            ? await CreateDefaultPoolAsync(request.AddressSpace, request.V6, network, options, ct).ConfigureAwait(false)
            : await HoldExplicitPoolAsync(request.AddressSpace, pool.Value, subPool, network, options, ct).ConfigureAwait(false);
        return new PoolAllocation(PoolId.Format(request.AddressSpace, cidr), cidr.ToIPNetwork(), s_empty);
    }

    /// <summary>Drops one hold of this host; the last hold of the last host removes the pool and all its addresses. Unknown pools are fine.</summary>
    public async Task ReleasePoolAsync(string poolId, CancellationToken ct)
    {
        if (!PoolId.TryParse(poolId, _spaces, out _, out var cidr) || await DropHoldsAsync(cidr, _options.HostId, all: false, ct).ConfigureAwait(false) is null)
            IpamLog.PoolReleaseNoop(_logger, poolId, _options.HostId);
    }

    /// <summary>
    /// Drops one hold (or <paramref name="all"/> holds) of <paramref name="hostId"/> on a pool; the last hold of the last
    /// host removes the pool and all its addresses. Null when the host holds nothing there, else whether the pool went.
    /// </summary>
    private async Task<bool?> DropHoldsAsync(Cidr cidr, string hostId, bool all, CancellationToken ct)
    {
        var key = IpamKeys.Pool(cidr);
        for (var attempt = 1; attempt <= _options.CasAttempts; attempt++)
        {
            var pool = await ReadPoolAsync(cidr, ct).ConfigureAwait(false);
            if (pool is null || !pool.Record.Holders.TryGetValue(hostId, out var count))
                return null;
            var holders = new Dictionary<string, int>(pool.Record.Holders);
            var remaining = all ? 0 : count - 1;
            if (remaining > 0)
                holders[hostId] = remaining;
            else
                holders.Remove(hostId);

            if (holders.Count > 0)
            {
                var updated = pool.Record with { Holders = holders };
                var result = await _store.CompareAndSetAsync(key, Encode(updated, IpamJsonContext.Default.PoolRecord), pool.Version, null, ct)
                    .ConfigureAwait(false);
                if (result.Succeeded)
                {
                    _pools[cidr] = new StoredPool(updated, result.NewVersion);
                    IpamLog.PoolReleased(_logger, hostId, cidr.ToString(), remaining);
                    return false;
                }
            }
            else
            {
                var (index, indexVersion) = await ReadIndexAsync(ct).ConfigureAwait(false);
                index.Remove(cidr);
                var removed = await _store.CommitAsync(
                    [new KvDeleteOp(key, pool.Version), IndexWrite(index, indexVersion)], ct).ConfigureAwait(false);
                if (removed)
                {
                    _pools.TryRemove(cidr, out _);
                    _views.TryRemove(cidr, out _);
                    IpamLog.PoolRemoved(_logger, cidr.ToString());
                    await DeleteAddressKeysAsync(IpamKeys.AddressesPrefix(cidr, pool.Record.Generation), keep: null, ct).ConfigureAwait(false);
                    return true;
                }
            }
            IpamLog.CasRetry(_logger, key, attempt);
        }
        throw Contention($"pool {cidr}");
    }

    private async Task<Cidr> HoldExplicitPoolAsync(
        string space, Cidr cidr, Cidr? subPool, string? network, IReadOnlyDictionary<string, string> options, CancellationToken ct)
    {
        var key = IpamKeys.Pool(cidr);
        for (var attempt = 1; attempt <= _options.CasAttempts; attempt++)
        {
            var existing = await ReadPoolAsync(cidr, ct).ConfigureAwait(false);
            if (existing is not null)
            {
                var record = existing.Record;
                EnsureCompatible(cidr, subPool, network, record);
                var holders = new Dictionary<string, int>(record.Holders);
                holders[_options.HostId] = checked(holders.GetValueOrDefault(_options.HostId) + 1);
                var updated = record with { Holders = holders, Network = record.Network ?? network };
                var result = await _store.CompareAndSetAsync(key, Encode(updated, IpamJsonContext.Default.PoolRecord), existing.Version, null, ct)
                    .ConfigureAwait(false);
                if (result.Succeeded)
                {
                    _pools[cidr] = new StoredPool(updated, result.NewVersion);
                    IpamLog.PoolHeld(_logger, _options.HostId, cidr.ToString(), updated.Network, holders[_options.HostId]);
                    return cidr;
                }
            }
            else
            {
                var index = await ReadIndexAsync(ct).ConfigureAwait(false);
                if (await TryCreatePoolAsync(space, cidr, subPool, network, options, index, ct).ConfigureAwait(false))
                    return cidr;
            }
            IpamLog.CasRetry(_logger, key, attempt);
        }
        throw Contention($"pool {cidr}");
    }

    private async Task<Cidr> CreateDefaultPoolAsync(
        string space, bool v6, string? network, IReadOnlyDictionary<string, string> options, CancellationToken ct)
    {
        var defaults = v6 ? _defaultsV6 : _defaultsV4;
        var prefix = v6 ? _options.DefaultPrefixV6 : _options.DefaultPrefixV4;
        for (var attempt = 1; attempt <= _options.CasAttempts; attempt++)
        {
            var index = await ReadIndexAsync(ct).ConfigureAwait(false);
            var candidate = FirstFreeSubnet(defaults, prefix, index.Cidrs)
                ?? throw new PoolExhaustedException(
                    $"no free default {(v6 ? "IPv6" : "IPv4")} pool left: every /{prefix} of {string.Join(", ", defaults)} is in use; pass --subnet");
            if (await TryCreatePoolAsync(space, candidate, null, network, options, index, ct).ConfigureAwait(false))
                return candidate;
            IpamLog.CasRetry(_logger, IpamKeys.Index, attempt);
        }
        throw Contention("the pool index");
    }

    /// <summary>
    /// Creates the pool record and adds it to the index in one transaction that compares the index
    /// version read in <paramref name="snapshot"/>, so two hosts can never create overlapping pools.
    /// False when the index changed meanwhile.
    /// </summary>
    private async Task<bool> TryCreatePoolAsync(
        string space, Cidr cidr, Cidr? subPool, string? network, IReadOnlyDictionary<string, string> options,
        (List<Cidr> Cidrs, ulong Version) snapshot, CancellationToken ct)
    {
        var (index, indexVersion) = snapshot;
        foreach (var other in index.Where(c => c != cidr && c.Overlaps(cidr)).ToList())
        {
            var otherPool = await ReadPoolAsync(other, ct).ConfigureAwait(false);
            if (otherPool is null)
            {
                index.Remove(other); // an index entry without a record (hand-deleted): heal it in the same transaction
                continue;
            }
            var owner = otherPool.Record.Network is { } n ? $" (network {n})" : string.Empty;
            throw new PoolOverlapException($"--subnet {cidr} overlaps pool {other}{owner} that is already in use; choose a subnet that does not intersect it");
        }
        if (!index.Contains(cidr))
            index.Add(cidr);

        var generation = Guid.NewGuid().ToString("N")[..12];
        var record = new PoolRecord(
            space, cidr.ToString(), subPool?.ToString(), cidr.V6, Gateway: null, network,
            new Dictionary<string, int> { [_options.HostId] = 1 },
            new Dictionary<string, string>(options), generation, _options.HostId);
        var created = await _store.CommitAsync(
            [new KvSetOp(IpamKeys.Pool(cidr), Encode(record, IpamJsonContext.Default.PoolRecord), 0), IndexWrite(index, indexVersion)], ct)
            .ConfigureAwait(false);
        if (!created)
            return false;
        IpamLog.PoolCreated(_logger, cidr.ToString(), network, _options.HostId);
        await DeleteAddressKeysAsync(IpamKeys.AddressesPrefix(cidr), IpamKeys.AddressesPrefix(cidr, generation), ct).ConfigureAwait(false);
        return true;
    }

    private static void EnsureCompatible(Cidr cidr, Cidr? subPool, string? network, PoolRecord record)
    {
        if (record.Network is { } owner && network != owner)
        {
            var hint = network is null
                ? $"to join it pass --ipam-opt {IpamLabels.Network}={owner}, otherwise choose another --subnet"
                : "choose another --subnet";
            throw new PoolOverlapException($"{cidr} already belongs to network {owner}; {hint}");
        }
        if (record.SubPool != subPool?.ToString())
        {
            throw new PoolOverlapException(
                $"{cidr} is already in use with --ip-range {record.SubPool ?? "(none)"}; use the same --ip-range on every host or choose another --subnet");
        }
    }

    /// <summary>The first /prefix of the default ranges that intersects no pool in the index.</summary>
    private static Cidr? FirstFreeSubnet(IReadOnlyList<Cidr> defaults, int prefix, List<Cidr> taken)
    {
        foreach (var range in defaults)
        {
            var next = range.Base;
            while (next <= range.Last)
            {
                var candidate = new Cidr(next, prefix, range.V6);
                var hit = taken.Where(candidate.Overlaps).Select(c => (Cidr?)c).FirstOrDefault();
                if (hit is not { } h)
                    return candidate;
                var end = UInt128.Max(candidate.Last, h.Last);
                if (end == UInt128.MaxValue)
                    break;
                next = end + 1;
            }
        }
        return null;
    }

    private static KvSetOp IndexWrite(List<Cidr> index, ulong expectedVersion) => new(
        IpamKeys.Index,
        Encode(new PoolIndexRecord(index.OrderBy(c => c.V6).ThenBy(c => c.Base).ThenBy(c => c.Prefix).Select(c => c.ToString()).ToList()), IpamJsonContext.Default.PoolIndexRecord),
        expectedVersion);

    /// <summary>
    /// Best effort: deletes address keys under <paramref name="prefix"/> (except under <paramref name="keep"/>).
    /// Leftovers are harmless (a new pool has a new generation), so a store failure here is only logged.
    /// </summary>
    private async Task DeleteAddressKeysAsync(string prefix, string? keep, CancellationToken ct)
    {
        try
        {
            var snapshot = await _store.ListAsync(prefix, ct).ConfigureAwait(false);
            foreach (var entry in snapshot.Entries)
            {
                if (keep is null || !entry.Key.StartsWith(keep, StringComparison.Ordinal))
                    await _store.CompareAndDeleteAsync(entry.Key, entry.Version, ct).ConfigureAwait(false);
            }
        }
        catch (StoreException e)
        {
            IpamLog.CleanupFailed(_logger, prefix, e);
        }
    }
}
