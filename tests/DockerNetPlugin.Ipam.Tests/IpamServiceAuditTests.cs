using System.Net;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>
/// What reconciliation reads and releases (<c>dnp doctor</c>'s address-leaked check): the endpoint addresses this
/// host holds, and a release that never frees an address taken again meanwhile.
/// </summary>
public sealed class IpamServiceAuditTests : TwoHostIpamTestBase
{
    [Fact]
    public async Task ListHeld_OnlyThisHostsEndpointAddresses_InEveryPool_WithAllocationTime()
    {
        var before = DateTimeOffset.UtcNow;
        var a = (await H1.RequestPoolAsync(Pool("10.40.0.0/24", options: Network("a")), Ct)).PoolId;
        var b = (await H1.RequestPoolAsync(Pool("10.41.0.0/24", options: Network("b")), Ct)).PoolId;
        await H2.RequestPoolAsync(Pool("10.40.0.0/24", options: Network("a")), Ct);
        await H1.RequestAddressAsync(a, null, Gateway, Ct);
        await H1.RequestAddressAsync(a, "10.40.0.200", None, Ct); // an aux address: shared, never "held" by one host
        var mine1 = await H1.RequestAddressAsync(a, null, Endpoint("c1"), Ct);
        var mine2 = await H1.RequestAddressAsync(b, "10.41.0.9", Endpoint("c2"), Ct);
        await H2.RequestAddressAsync(a, null, Endpoint("c3"), Ct);

        var held = await H1.ListHeldEndpointAddressesAsync(Ct);

        Assert.Equal(
            [("10.40.0.0/24", mine1.Address), ("10.41.0.0/24", mine2.Address)],
            held.Select(h => (h.Pool, h.Address)).OrderBy(h => h.Pool, StringComparer.Ordinal));
        Assert.All(held, h => Assert.InRange(h.AllocatedAt!.Value, before, DateTimeOffset.UtcNow));
        Assert.Single(await H2.ListHeldEndpointAddressesAsync(Ct));
    }

    [Fact]
    public async Task ReleaseHeld_FreesTheAddress_ForAnyHost()
    {
        var pool = (await H1.RequestPoolAsync(Pool("10.42.0.0/24", options: Network("a")), Ct)).PoolId;
        await H2.RequestPoolAsync(Pool("10.42.0.0/24", options: Network("a")), Ct);
        await H1.RequestAddressAsync(pool, "10.42.0.7", Endpoint("c1"), Ct);
        var held = Assert.Single(await H1.ListHeldEndpointAddressesAsync(Ct));

        Assert.True(await H1.ReleaseHeldAsync(held, Ct));

        Assert.Empty(await H1.ListHeldEndpointAddressesAsync(Ct));
        var again = await H2.RequestAddressAsync(pool, "10.42.0.7", Endpoint("c2"), Ct);
        Assert.Equal(IPAddress.Parse("10.42.0.7"), again.Address);
    }

    [Fact]
    public async Task ReleaseHeld_AddressReleasedAndTakenAgainSinceTheRead_LeftAlone()
    {
        var pool = (await H1.RequestPoolAsync(Pool("10.43.0.0/24", options: Network("a")), Ct)).PoolId;
        await H1.RequestAddressAsync(pool, "10.43.0.7", Endpoint("old"), Ct);
        var stale = Assert.Single(await H1.ListHeldEndpointAddressesAsync(Ct));
        await H1.ReleaseAddressAsync(pool, "10.43.0.7", Ct);
        await H1.RequestAddressAsync(pool, "10.43.0.7", Endpoint("new"), Ct);

        Assert.False(await H1.ReleaseHeldAsync(stale, Ct));

        var now = Assert.Single(await H1.ListHeldEndpointAddressesAsync(Ct));
        Assert.Equal(IPAddress.Parse("10.43.0.7"), now.Address);
        await Assert.ThrowsAsync<AddressInUseException>(() => H1.RequestAddressAsync(pool, "10.43.0.7", Endpoint("third"), Ct));
    }
}
