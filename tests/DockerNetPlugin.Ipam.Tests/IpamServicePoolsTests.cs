using System.Net;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

public sealed class IpamServicePoolsTests : IpamStoreTestBase
{

    [Fact]
    public void GetDefaultAddressSpaces_Always_ReturnsDnpSpaces()
    {
        var spaces = Env.Host("h1").GetDefaultAddressSpaces();
        Assert.Equal(new AddressSpaces("dnp-local", "dnp-global"), spaces);
    }

    [Fact]
    public async Task RequestPool_ExplicitSubnet_ReturnsStablePoolIdAndRecordsHolder()
    {
        var ipam = Env.Host("h1");
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/24", options: Network("net-a")), Ct);

        Assert.Equal("dnp-local/10.30.0.0/24", pool.PoolId);
        Assert.Equal(IPNetwork.Parse("10.30.0.0/24"), pool.Pool);
        var info = Assert.Single(await ipam.ListPoolsAsync(Ct));
        Assert.Equal("net-a", info.Network);
        Assert.Equal(1, info.Holders["h1"]);
        Assert.Equal("h1", info.CreatedBy);
    }

    [Fact]
    public async Task RequestPool_SameHostSameNetworkTwice_SamePoolRefcounted()
    {
        var ipam = Env.Host("h1");
        var first = await ipam.RequestPoolAsync(Pool("10.30.0.0/24", options: Network("net-a")), Ct);
        var second = await ipam.RequestPoolAsync(Pool("10.30.0.0/24", options: Network("net-a")), Ct);

        Assert.Equal(first.PoolId, second.PoolId);
        Assert.Equal(2, (await ipam.GetPoolAsync(first.PoolId, Ct))!.Holders["h1"]);
        await ipam.ReleasePoolAsync(first.PoolId, Ct);
        Assert.Equal(1, (await ipam.GetPoolAsync(first.PoolId, Ct))!.Holders["h1"]);
        await ipam.ReleasePoolAsync(first.PoolId, Ct);
        Assert.Null(await ipam.GetPoolAsync(first.PoolId, Ct));
    }

    [Fact]
    public async Task RequestPool_IntersectingSubnet_ThrowsOverlapNamingThePool()
    {
        var ipam = Env.Host("h1");
        await ipam.RequestPoolAsync(Pool("10.30.0.0/16", options: Network("net-a")), Ct);

        var e = await Assert.ThrowsAsync<PoolOverlapException>(() => ipam.RequestPoolAsync(Pool("10.30.7.0/24"), Ct));
        Assert.Contains("10.30.0.0/16", e.Message, StringComparison.Ordinal);
        Assert.Contains("net-a", e.Message, StringComparison.Ordinal);
        Assert.Single(await ipam.ListPoolsAsync(Ct));
    }

    [Fact]
    public async Task RequestPool_SameSubnetOtherNetwork_ThrowsAlreadyBelongs()
    {
        var h1 = Env.Host("h1");
        await h1.RequestPoolAsync(Pool("10.30.0.0/24", options: Network("net-a")), Ct);

        var e = await Assert.ThrowsAsync<PoolOverlapException>(
            () => Env.Host("h2").RequestPoolAsync(Pool("10.30.0.0/24", options: Network("net-b")), Ct));
        Assert.Contains("10.30.0.0/24 already belongs to network net-a", e.Message, StringComparison.Ordinal);
        var noLabel = await Assert.ThrowsAsync<PoolOverlapException>(() => h1.RequestPoolAsync(Pool("10.30.0.0/24"), Ct));
        Assert.Contains("--ipam-opt dnp.network=net-a", noLabel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestPool_OriginWithoutLabelThenReplicaWithLabel_PoolAdoptsTheNetwork()
    {
        var origin = await Env.Host("h1").RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var replica = await Env.Host("h2").RequestPoolAsync(Pool("10.30.0.0/24", options: Network("net-a")), Ct);

        Assert.Equal(origin.PoolId, replica.PoolId);
        Assert.Equal("net-a", (await Env.Host("h1").GetPoolAsync(origin.PoolId, Ct))!.Network);
    }

    [Fact]
    public async Task RequestPool_DifferentIpRange_ThrowsOverlap()
    {
        await Env.Host("h1").RequestPoolAsync(Pool("10.30.0.0/24", "10.30.0.128/25"), Ct);
        var e = await Assert.ThrowsAsync<PoolOverlapException>(
            () => Env.Host("h2").RequestPoolAsync(Pool("10.30.0.0/24", "10.30.0.0/25"), Ct));
        Assert.Contains("--ip-range 10.30.0.128/25", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestPool_NoSubnetWhileHoldingPrevious_ReturnsFreshPoolsEachTime()
    {
        // Docker's overlap loop keeps each returned pool and asks again: every answer must differ.
        var ipam = Env.Host("h1");
        var pools = new List<IPNetwork>();
        for (var i = 0; i < 3; i++)
            pools.Add((await ipam.RequestPoolAsync(Pool(null), Ct)).Pool);

        Assert.Equal(
            [IPNetwork.Parse("10.192.0.0/24"), IPNetwork.Parse("10.192.1.0/24"), IPNetwork.Parse("10.192.2.0/24")], pools);
    }

    [Fact]
    public async Task RequestPool_UnspecifiedSubnet_TreatedAsDefault()
    {
        var pool = await Env.Host("h1").RequestPoolAsync(Pool("0.0.0.0/0"), Ct);
        Assert.Equal(IPNetwork.Parse("10.192.0.0/24"), pool.Pool);
    }

    [Fact]
    public async Task RequestPool_NoSubnetAfterExplicitDefaultRangePool_SkipsIt()
    {
        var ipam = Env.Host("h1");
        await ipam.RequestPoolAsync(Pool("10.192.0.0/16"), Ct);
        await ipam.RequestPoolAsync(Pool("10.193.0.128/25"), Ct);
        Assert.Equal(IPNetwork.Parse("10.193.1.0/24"), (await ipam.RequestPoolAsync(Pool(null), Ct)).Pool);
    }

    [Fact]
    public async Task RequestPool_NoSubnetV6_ReturnsSlash64FromUla()
    {
        var pool = await Env.Host("h1").RequestPoolAsync(Pool(null, v6: true), Ct);
        Assert.Equal(IPNetwork.Parse("fd5a:7e1d:d1b0::/64"), pool.Pool);
        Assert.Equal("dnp-local/fd5a:7e1d:d1b0::/64", pool.PoolId);
    }

    [Fact]
    public async Task RequestPool_DefaultsAllTaken_ThrowsExhausted()
    {
        var options = new IpamOptions { DefaultPoolsV4 = [IPNetwork.Parse("10.99.0.0/23")] };
        var ipam = Env.Host("h1", options);
        await ipam.RequestPoolAsync(Pool(null), Ct);
        await ipam.RequestPoolAsync(Pool(null), Ct);

        var e = await Assert.ThrowsAsync<PoolExhaustedException>(() => ipam.RequestPoolAsync(Pool(null), Ct));
        Assert.Contains("pass --subnet", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.30.0.1/24", null, false, "host bits set")]
    [InlineData("10.30.0.0/24", null, true, "not an IPv6 subnet")]
    [InlineData("fd00::/64", null, false, "not an IPv4 subnet")]
    [InlineData("10.30.0.0/24", "10.31.0.0/25", false, "is not inside --subnet")]
    [InlineData(null, "10.31.0.0/25", false, "needs a --subnet")]
    [InlineData("10.30.0.0/24", "10.30.0.7/25", false, "host bits set")]
    [InlineData("not-a-cidr", null, false, "is not a CIDR")]
    public async Task RequestPool_InvalidInput_ThrowsInvalidRequest(string? pool, string? subPool, bool v6, string expected)
    {
        var e = await Assert.ThrowsAsync<InvalidIpamRequestException>(
            () => Env.Host("h1").RequestPoolAsync(Pool(pool, subPool, v6: v6), Ct));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Empty(await Env.IpamKeysAsync());
    }

    [Fact]
    public async Task RequestPool_UnknownAddressSpace_ThrowsInvalidRequest()
    {
        await Assert.ThrowsAsync<InvalidIpamRequestException>(
            () => Env.Host("h1").RequestPoolAsync(new PoolRequest("default", "10.30.0.0/24", null, None, false), Ct));
    }

    [Theory]
    [InlineData("dnp-local/10.99.0.0/24")]
    [InlineData("garbage")]
    [InlineData("")]
    public async Task ReleasePool_UnknownPool_Succeeds(string poolId)
    {
        await Env.Host("h1").ReleasePoolAsync(poolId, Ct);
        Assert.Empty(await Env.IpamKeysAsync());
    }

    [Fact]
    public async Task ReleasePool_LastHold_RemovesPoolAndAllItsAddresses()
    {
        var ipam = Env.Host("h1", new IpamOptions { EndpointRequestsCarryMac = true });
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        await ipam.RequestAddressAsync(pool.PoolId, null, Gateway, Ct);
        await ipam.RequestAddressAsync(pool.PoolId, "10.30.0.50", Endpoint("c1"), Ct);
        await ipam.RequestAddressAsync(pool.PoolId, "10.30.0.60", None, Ct);

        await ipam.ReleasePoolAsync(pool.PoolId, Ct);

        Assert.Null(await ipam.GetPoolAsync(pool.PoolId, Ct));
        Assert.Equal([Store.KeyLayout.Key("ipam", "index")], await Env.IpamKeysAsync());
        var again = await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var address = await ipam.RequestAddressAsync(again.PoolId, "10.30.0.50", Endpoint("c2"), Ct);
        Assert.Equal(IPAddress.Parse("10.30.0.50"), address.Address);
    }

    [Fact]
    public async Task ReleasePool_PoolRemoved_SubnetFreeForAnOverlappingPool()
    {
        var ipam = Env.Host("h1");
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/16"), Ct);
        await ipam.ReleasePoolAsync(pool.PoolId, Ct);

        var smaller = await ipam.RequestPoolAsync(Pool("10.30.1.0/24"), Ct);
        Assert.Equal("dnp-local/10.30.1.0/24", smaller.PoolId);
    }
}
