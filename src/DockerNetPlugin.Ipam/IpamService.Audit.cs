namespace DockerNetPlugin.Ipam;

/// <summary>
/// What this host holds, for reconciliation (<c>dnp doctor</c>): Docker's ReleaseAddress is lost when it arrives
/// while the plugin is down, and only a comparison with Docker's endpoints finds the address again.
/// </summary>
public sealed partial class IpamService
{
    /// <summary>Every endpoint address this host holds, in every pool (the pool's current generation).</summary>
    public Task<IReadOnlyList<HeldAddress>> ListHeldEndpointAddressesAsync(CancellationToken ct) => ListEndpointAddressesOfAsync(_options.HostId, ct);

    /// <summary>Every endpoint address <paramref name="hostId"/> holds, in every pool (the pool's current generation).</summary>
    private async Task<IReadOnlyList<HeldAddress>> ListEndpointAddressesOfAsync(string hostId, CancellationToken ct)
    {
        var held = new List<HeldAddress>();
        var pools = await _store.ListAsync(IpamKeys.PoolsPrefix, ct).ConfigureAwait(false);
        foreach (var poolEntry in pools.Entries)
        {
            if (Valid(IpamRecordValidator.Pool(poolEntry)) is not { } pool)
                continue;
            var cidr = Cidr.Parse(pool.Cidr, $"stored pool at {poolEntry.Key}");
            var addresses = await _store.ListAsync(IpamKeys.AddressesPrefix(cidr, pool.Generation), ct).ConfigureAwait(false);
            foreach (var entry in addresses.Entries)
            {
                if (Valid(IpamRecordValidator.Address(entry, cidr, pool.Generation)) is not { } address)
                    continue;
                if (KindOf(address.Record) == AddressKind.Endpoint && address.Record.Host == hostId)
                    held.Add(new HeldAddress(cidr.ToString(), IpNumber.ToAddress(address.Number, cidr.V6), address.Record.At, entry.Key, entry.Version));
            }
        }
        return held;
    }

    /// <summary>
    /// Releases an address an audit found unused, unless its record changed since it was read (released and taken
    /// again meanwhile): false then, and nothing is touched.
    /// </summary>
    public async Task<bool> ReleaseHeldAsync(HeldAddress held, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (!await DeleteHeldAsync(held, ct).ConfigureAwait(false))
            return false;
        IpamLog.LeakedAddressReleased(_logger, held.Address.ToString(), held.Pool);
        return true;
    }

    private async Task<bool> DeleteHeldAsync(HeldAddress held, CancellationToken ct)
    {
        if (!await _store.CompareAndDeleteAsync(held.Key, held.Version, ct).ConfigureAwait(false))
            return false;
        if (_views.TryGetValue(Cidr.Parse(held.Pool, "audited pool"), out var view))
            view.MarkFree(IpNumber.From(held.Address));
        return true;
    }
}
