using System.Net;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Ipam;

/// <summary>RequestAddress / ReleaseAddress.</summary>
public sealed partial class IpamService
{
    /// <summary>
    /// Three kinds of request, told apart by the options (remote-api.md §4):
    /// <c>RequestAddressType=com.docker.network.gateway</c> → the pool's one gateway, the same on every host;
    /// an address with neither endpoint name nor MAC option → an aux address, shared by every host (only
    /// with <see cref="IpamOptions.EndpointRequestsCarryMac"/>; otherwise it could be a pre-v29 <c>--ip</c>);
    /// anything else → an endpoint address owned by this host, explicit (<c>--ip</c>) or the next free one.
    /// </summary>
    public async Task<AddressAllocation> RequestAddressAsync(
        string poolId, string? address, IReadOnlyDictionary<string, string>? options, CancellationToken ct)
    {
        options ??= s_empty;
        var (cidr, pool) = await RequirePoolAsync(poolId, fresh: false, ct).ConfigureAwait(false);
        UInt128? requested = null;
        if (!string.IsNullOrEmpty(address))
            requested = CheckInPool(cidr, Cidr.ParseAddress(address, $"requested address in pool {cidr}"));

        var kind = options.GetValueOrDefault(IpamLabels.RequestAddressType) == IpamLabels.Gateway ? AddressKind.Gateway
            : requested is not null && _options.EndpointRequestsCarryMac
                && !options.ContainsKey(IpamLabels.EndpointName) && !options.ContainsKey(IpamLabels.MacAddress) ? AddressKind.Aux
            : AddressKind.Endpoint;
        var record = new AddressRecord(KindName(kind), _options.HostId, new Dictionary<string, string>(options), DateTimeOffset.UtcNow);

        var allocated = kind == AddressKind.Gateway
            ? await RequestGatewayAsync(cidr, pool, requested, record, ct).ConfigureAwait(false)
            : requested is { } explicitAddress
                ? await RequestExplicitAsync(cidr, pool, explicitAddress, kind, record, ct).ConfigureAwait(false)
                : await RequestDynamicAsync(cidr, pool, record, ct).ConfigureAwait(false);
        var ip = IpNumber.ToAddress(allocated, cidr.V6);
        IpamLog.AddressAllocated(_logger, ip.ToString(), kind, cidr.ToString());
        return new AddressAllocation(ip, cidr.Prefix, s_empty);
    }

    /// <summary>
    /// Frees an endpoint address of this host. The gateway and aux addresses stay until the pool goes
    /// (other hosts still use them); unknown pools and addresses, and other hosts' addresses, are left alone.
    /// </summary>
    public async Task ReleaseAddressAsync(string poolId, string address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Contains('/', StringComparison.Ordinal) ? address[..address.IndexOf('/', StringComparison.Ordinal)] : address;
        var ip = Cidr.ParseAddress(text, "released address");
        if (!PoolId.TryParse(poolId, _spaces, out _, out var cidr) || IpNumber.IsV6(ip) != cidr.V6 || !cidr.Contains(IpNumber.From(ip)))
            return;
        var number = IpNumber.From(ip);
        for (var attempt = 1; attempt <= _options.CasAttempts; attempt++)
        {
            var pool = await ReadPoolAsync(cidr, ct).ConfigureAwait(false);
            if (pool is null)
                return;
            var key = IpamKeys.Address(cidr, pool.Record.Generation, number);
            var entry = await _store.GetAsync(key, ct).ConfigureAwait(false);
            if (entry is null)
            {
                ViewOf(cidr, pool.Record).MarkFree(number);
                return;
            }
            if (Valid(IpamRecordValidator.Address(entry, cidr, pool.Record.Generation)) is not { Record: var held })
                return; // not a record this host wrote: it stays, reported, for an operator
            var kind = KindOf(held);
            if (kind != AddressKind.Endpoint)
            {
                IpamLog.SharedAddressKept(_logger, ip.ToString(), cidr.ToString(), kind);
                return;
            }
            if (held.Host != _options.HostId)
            {
                IpamLog.ReleaseByNonOwnerIgnored(_logger, ip.ToString(), cidr.ToString(), held.Host);
                return;
            }
            if (await _store.CompareAndDeleteAsync(key, entry.Version, ct).ConfigureAwait(false))
            {
                ViewOf(cidr, pool.Record).MarkFree(number);
                IpamLog.AddressReleased(_logger, ip.ToString(), cidr.ToString());
                return;
            }
            IpamLog.CasRetry(_logger, key, attempt);
        }
        throw Contention($"address {ip} in pool {cidr}");
    }

    private async Task<UInt128> RequestGatewayAsync(Cidr cidr, StoredPool pool, UInt128? requested, AddressRecord record, CancellationToken ct)
    {
        var poolKey = IpamKeys.Pool(cidr);
        var conflicts = 0;
        while (true)
        {
            if (pool.Record.Gateway is { } gatewayText)
            {
                var gateway = IpNumber.From(IPAddress.Parse(gatewayText));
                if (requested is { } r && r != gateway)
                {
                    throw new InvalidIpamRequestException(
                        $"pool {cidr} already has gateway {gatewayText} (set by the first host that created the network); " +
                        $"use --gateway {gatewayText} on every host or omit --gateway");
                }
                return gateway;
            }

            var view = ViewOf(cidr, pool.Record);
            var candidate = requested ?? await ReserveAsync(cidr, pool, view, fromStart: true, ct).ConfigureAwait(false);
            var addressKey = IpamKeys.Address(cidr, pool.Record.Generation, candidate);
            var updated = pool.Record with { Gateway = IpNumber.ToAddress(candidate, cidr.V6).ToString() };
            var ok = await CommitOrAbandonAsync(
                view, candidate,
                [new KvSetOp(poolKey, Encode(updated, IpamJsonContext.Default.PoolRecord), pool.Version),
                 new KvSetOp(addressKey, Encode(record, IpamJsonContext.Default.AddressRecord), 0)], ct).ConfigureAwait(false);
            if (ok)
            {
                view.MarkTaken(candidate);
                _pools.TryRemove(cidr, out _);
                IpamLog.GatewaySet(_logger, cidr.ToString(), updated.Gateway!);
                return candidate;
            }

            var holder = await GetAddressAsync(addressKey, cidr, pool.Record.Generation, ct).ConfigureAwait(false);
            if (holder is not null)
            {
                view.MarkTaken(candidate);
                if (requested is not null && KindOf(holder) != AddressKind.Gateway)
                    throw InUse(cidr, candidate, holder, "choose another --gateway or omit it");
            }
            else
            {
                view.Abandon(candidate);
                if (++conflicts >= _options.CasAttempts)
                    throw Contention($"pool {cidr}");
            }
            pool = await ReadPoolAsync(cidr, ct).ConfigureAwait(false) ?? throw Gone(cidr);
        }
    }

    private async Task<UInt128> RequestExplicitAsync(
        Cidr cidr, StoredPool pool, UInt128 requested, AddressKind kind, AddressRecord record, CancellationToken ct)
    {
        var ip = IpNumber.ToAddress(requested, cidr.V6).ToString();
        for (var attempt = 1; attempt <= _options.CasAttempts; attempt++)
        {
            if (pool.Record.Gateway == ip)
            {
                throw new AddressInUseException(
                    $"address {ip} is the gateway of pool {cidr}; choose another {(kind == AddressKind.Aux ? "--aux-address" : "--ip")}");
            }
            var addressKey = IpamKeys.Address(cidr, pool.Record.Generation, requested);
            var ok = await _store.CommitAsync(
                [new KvCheckOp(IpamKeys.Pool(cidr), pool.Version),
                 new KvSetOp(addressKey, Encode(record, IpamJsonContext.Default.AddressRecord), 0)], ct).ConfigureAwait(false);
            var view = ViewOf(cidr, pool.Record);
            if (ok)
            {
                view.MarkTaken(requested);
                return requested;
            }

            var holder = await GetAddressAsync(addressKey, cidr, pool.Record.Generation, ct).ConfigureAwait(false);
            if (holder is not null)
            {
                view.MarkTaken(requested);
                if (IsSameRequest(kind, record, holder))
                    return requested;
                var hint = kind == AddressKind.Aux ? "choose another --aux-address" : "choose another --ip or omit it";
                throw InUse(cidr, requested, holder, hint);
            }
            IpamLog.CasRetry(_logger, addressKey, attempt);
            pool = await ReadPoolAsync(cidr, ct).ConfigureAwait(false) ?? throw Gone(cidr);
        }
        throw Contention($"pool {cidr}");
    }

    private async Task<UInt128> RequestDynamicAsync(Cidr cidr, StoredPool pool, AddressRecord record, CancellationToken ct)
    {
        var poolConflicts = 0;
        while (true)
        {
            var view = ViewOf(cidr, pool.Record);
            var candidate = await ReserveAsync(cidr, pool, view, fromStart: false, ct).ConfigureAwait(false);
            var addressKey = IpamKeys.Address(cidr, pool.Record.Generation, candidate);
            var ok = await CommitOrAbandonAsync(
                view, candidate,
                [new KvCheckOp(IpamKeys.Pool(cidr), pool.Version),
                 new KvSetOp(addressKey, Encode(record, IpamJsonContext.Default.AddressRecord), 0)], ct).ConfigureAwait(false);
            if (ok)
            {
                view.MarkTaken(candidate);
                return candidate;
            }
            if (await GetAddressAsync(addressKey, cidr, pool.Record.Generation, ct).ConfigureAwait(false) is not null)
            {
                view.MarkTaken(candidate); // someone else got it first: move on
                continue;
            }
            view.Abandon(candidate);
            if (++poolConflicts >= _options.CasAttempts)
                throw Contention($"pool {cidr}");
            IpamLog.CasRetry(_logger, IpamKeys.Pool(cidr), poolConflicts);
            pool = await ReadPoolAsync(cidr, ct).ConfigureAwait(false) ?? throw Gone(cidr);
        }
    }

    /// <summary>
    /// Picks a candidate believed free: loads the view on first use, and reloads it once when it
    /// believes the range is full (other hosts may have released addresses) before giving up.
    /// </summary>
    private async Task<UInt128> ReserveAsync(Cidr cidr, StoredPool pool, PoolUsageView view, bool fromStart, CancellationToken ct)
    {
        var range = AddressRange.For(cidr, SubPoolOf(pool.Record), _options.V6DynamicRange);
        var reloaded = false;
        if (!view.Loaded)
        {
            await LoadViewAsync(cidr, view, ct).ConfigureAwait(false);
            reloaded = true;
        }
        while (true)
        {
            if (view.TryReserve(range, fromStart, out var candidate))
                return candidate;
            if (reloaded)
            {
                var where = SubPoolOf(pool.Record) is { } sub ? $"pool {cidr} (--ip-range {sub})" : $"pool {cidr}";
                throw new PoolExhaustedException(
                    $"{where} has no free addresses ({view.TakenCount} in use); release some or use a larger --subnet/--ip-range");
            }
            await LoadViewAsync(cidr, view, ct).ConfigureAwait(false);
            reloaded = true;
        }
    }

    private async Task<bool> CommitOrAbandonAsync(PoolUsageView view, UInt128 candidate, IReadOnlyList<KvOp> ops, CancellationToken ct)
    {
        try
        {
            return await _store.CommitAsync(ops, ct).ConfigureAwait(false);
        }
        catch
        {
            view.Abandon(candidate);
            throw;
        }
    }

    /// <summary>Who holds an address: null when free; an invalid record (reported) still holds it, as an unknown endpoint.</summary>
    private async Task<AddressRecord?> GetAddressAsync(string key, Cidr cidr, string generation, CancellationToken ct)
    {
        var entry = await _store.GetAsync(key, ct).ConfigureAwait(false);
        if (entry is null)
            return null;
        return Valid(IpamRecordValidator.Address(entry, cidr, generation))?.Record ?? new AddressRecord("endpoint", "(an invalid record)", []);
    }

    /// <summary>
    /// A repeat of a request that already succeeded: the same aux address (from any host, each host
    /// reserves the network's aux addresses), or this host asking again for the same endpoint (same
    /// endpoint name or MAC), as Docker does after a transport error.
    /// </summary>
    private bool IsSameRequest(AddressKind kind, AddressRecord mine, AddressRecord held)
    {
        if (kind != KindOf(held))
            return false;
        if (kind == AddressKind.Aux)
            return true;
        return held.Host == _options.HostId
            && (SameOption(IpamLabels.EndpointName, mine, held) || SameOption(IpamLabels.MacAddress, mine, held));
    }

    private static bool SameOption(string name, AddressRecord a, AddressRecord b) =>
        a.Options.GetValueOrDefault(name) is { Length: > 0 } value && b.Options.GetValueOrDefault(name) == value;

    private static UInt128 CheckInPool(Cidr cidr, IPAddress ip)
    {
        var number = IpNumber.From(ip);
        if (IpNumber.IsV6(ip) != cidr.V6 || !cidr.Contains(number))
            throw new AddressOutOfRangeException($"address {ip} is out of range of pool {cidr}; choose an address inside {cidr}");
        if (AddressRange.IsReserved(cidr, number))
        {
            var what = cidr.V6 ? "subnet-router anycast" : number == cidr.Base ? "network" : "broadcast";
            throw new InvalidIpamRequestException($"address {ip} is the {what} address of pool {cidr}; choose another address");
        }
        return number;
    }

    private static Cidr? SubPoolOf(PoolRecord record) => record.SubPool is null ? null : Cidr.Parse(record.SubPool, "stored sub-pool");

    private static AddressInUseException InUse(Cidr cidr, UInt128 address, AddressRecord holder, string hint)
    {
        var what = KindOf(holder) switch
        {
            AddressKind.Gateway => "as the gateway",
            AddressKind.Aux => "as an aux address",
            _ => holder.Options.GetValueOrDefault(IpamLabels.EndpointName) is { Length: > 0 } name ? $"for endpoint {name}" : "for an endpoint",
        };
        return new AddressInUseException(
            $"address {IpNumber.ToAddress(address, cidr.V6)} is already allocated in pool {cidr} (held by host {holder.Host} {what}); {hint}");
    }

    private static UnknownPoolException Gone(Cidr cidr) =>
        new($"pool {cidr} was released while this address was being allocated; recreate the network");
}
