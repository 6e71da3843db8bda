using System.Net;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>
/// What a host holds: what reconciliation reads and releases (<c>dnp doctor</c>'s address-leaked check: a release
/// never frees an address taken again meanwhile), and what <c>dnp forget-host</c> releases for a dead host.
/// </summary>
public sealed class IpamServiceHeldAddressTests : TwoHostIpamTestBase
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

    [Fact]
    public async Task ForgetHost_ReleasesItsAddressesAndHolds_ItsOwnPoolGoes_OthersStay()
    {
        var shared = (await H1.RequestPoolAsync(Pool("10.44.0.0/24", options: Network("a")), Ct)).PoolId;
        await H2.RequestPoolAsync(Pool("10.44.0.0/24", options: Network("a")), Ct);
        await H2.RequestPoolAsync(Pool("10.44.0.0/24", options: Network("a")), Ct); // a second hold: all of them go
        var own = (await H2.RequestPoolAsync(Pool("10.45.0.0/24", options: Network("b")), Ct)).PoolId;
        await H2.RequestAddressAsync(own, null, Gateway, Ct);
        await H2.RequestAddressAsync(shared, "10.44.0.9", Endpoint("c2"), Ct);
        await H2.RequestAddressAsync(own, null, Endpoint("c3"), Ct);
        await H1.RequestAddressAsync(shared, "10.44.0.8", Endpoint("c1"), Ct);

        var forgotten = await H1.ForgetHostAsync("h2", Ct);

        Assert.Equal(new ForgottenHostAddresses(Addresses: 2, PoolHolds: 2, PoolsRemoved: 1), forgotten);
        var pools = await H1.ListPoolsAsync(Ct);
        Assert.Equal(new Dictionary<string, int> { ["h1"] = 1 }, Assert.Single(pools).Holders);
        Assert.Null(await H1.GetPoolAsync(own, Ct));
        Assert.Equal("10.44.0.9", (await H1.RequestAddressAsync(shared, "10.44.0.9", Endpoint("c4"), Ct)).Address.ToString());
        Assert.Equal(2, (await H1.ListHeldEndpointAddressesAsync(Ct)).Count);
        Assert.Equal(new ForgottenHostAddresses(0, 0, 0), await H1.ForgetHostAsync("h2", Ct)); // again: nothing left
    }

    [Fact]
    public async Task ForgetHost_ThisHost_Refused()
    {
        var e = await Assert.ThrowsAsync<InvalidIpamRequestException>(() => H1.ForgetHostAsync("h1", Ct));
        Assert.Contains("cannot forget itself", e.Message, StringComparison.Ordinal);
    }
}
