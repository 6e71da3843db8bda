namespace DockerNetPlugin.Ipam;

/// <summary>Forgetting a host that is gone for good (<c>dnp forget-host</c>): nothing else ever releases what it held.</summary>
public sealed partial class IpamService
{
    /// <summary>
    /// Releases every endpoint address <paramref name="hostId"/> holds and drops all its holds on pools (a pool it was
    /// the last holder of goes, with its gateway and aux addresses). The caller makes sure the host is dead.
    /// </summary>
    public async Task<ForgottenHostAddresses> ForgetHostAsync(string hostId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostId);
        if (hostId == _options.HostId)
            throw new InvalidIpamRequestException($"host {hostId} is this host: a host cannot forget itself");
        var addresses = 0;
        foreach (var held in await ListEndpointAddressesOfAsync(hostId, ct).ConfigureAwait(false))
        {
            if (await DeleteHeldAsync(held, ct).ConfigureAwait(false))
                addresses++;
        }
        int holds = 0, removed = 0;
        foreach (var pool in await ListPoolsAsync(ct).ConfigureAwait(false))
        {
            if (!pool.Holders.ContainsKey(hostId))
                continue;
            var gone = await DropHoldsAsync(Cidr.From(pool.Pool), hostId, all: true, ct).ConfigureAwait(false);
            holds += gone is null ? 0 : 1;
            removed += gone == true ? 1 : 0;
        }
        IpamLog.HostForgotten(_logger, hostId, addresses, holds, removed);
        return new ForgottenHostAddresses(addresses, holds, removed);
    }
}
