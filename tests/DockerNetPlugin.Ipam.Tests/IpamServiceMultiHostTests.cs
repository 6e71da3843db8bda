using System.Net;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Pools and addresses shared by two hosts.</summary>
public sealed class IpamServiceMultiHostTests : TwoHostIpamTestBase
{
    /// <summary>What replication does: the same network (subnet, gateway request) created on both hosts.</summary>
    private async Task<string> ReplicatedPoolAsync(string cidr = "10.30.0.0/24")
    {
        var p1 = await H1.RequestPoolAsync(Pool(cidr, options: Network("net-a")), Ct);
        await H1.RequestAddressAsync(p1.PoolId, null, Gateway, Ct);
        var p2 = await H2.RequestPoolAsync(Pool(cidr, options: Network("net-a")), Ct);
        Assert.Equal(p1.PoolId, p2.PoolId);
        return p1.PoolId;
    }

    [Fact]
    public async Task RequestPool_SameSubnetOnSecondHost_SamePoolIdBothHolders()
    {
        var poolId = await ReplicatedPoolAsync();

        var info = (await H2.GetPoolAsync(poolId, Ct))!;
        Assert.Equal(new Dictionary<string, int> { ["h1"] = 1, ["h2"] = 1 }, info.Holders);
    }

    [Fact]
    public async Task RequestAddress_GatewayOnSecondHost_SameGatewayNotInUse()
    {
        var poolId = await ReplicatedPoolAsync();

        var gw2 = await H2.RequestAddressAsync(poolId, null, Gateway, Ct);
        var gw2Explicit = await H2.RequestAddressAsync(poolId, "10.30.0.1", Gateway, Ct);
        Assert.Equal(IPAddress.Parse("10.30.0.1"), gw2.Address);
        Assert.Equal(gw2.Address, gw2Explicit.Address);
        Assert.Equal(24, gw2.PrefixLength);
    }

    [Fact]
    public async Task RequestAddress_BothHostsDynamic_NeverTheSameAddress()
    {
        var poolId = await ReplicatedPoolAsync();
        var a1 = await H1.RequestAddressAsync(poolId, null, Endpoint("a1"), Ct);
        var b1 = await H2.RequestAddressAsync(poolId, null, Endpoint("b1"), Ct); // h2's view was empty: it collides once, then moves on
        var a2 = await H1.RequestAddressAsync(poolId, null, Endpoint("a2"), Ct);
        var b2 = await H2.RequestAddressAsync(poolId, null, Endpoint("b2"), Ct);

        Assert.Equal(["10.30.0.2", "10.30.0.3", "10.30.0.4", "10.30.0.5"], new[] { a1, b1, a2, b2 }.Select(a => a.Address.ToString()));
        var owners = (await H1.ListAddressesAsync(poolId, Ct)).Where(a => a.Kind == AddressKind.Endpoint).Select(a => a.HostId);
        Assert.Equal(["h1", "h2", "h1", "h2"], owners);
    }

    [Fact]
    public async Task RequestAddress_ExplicitTakenOnOtherHost_ThrowsInUseNamingThatHost()
    {
        var poolId = await ReplicatedPoolAsync();
        await H1.RequestAddressAsync(poolId, "10.30.0.5", Endpoint("web"), Ct);

        var e = await Assert.ThrowsAsync<AddressInUseException>(() => H2.RequestAddressAsync(poolId, "10.30.0.5", Endpoint("web"), Ct));
        Assert.Contains("held by host h1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAddress_AuxOnBothHosts_SharedNotInUse()
    {
        var poolId = await ReplicatedPoolAsync();
        await H1.RequestAddressAsync(poolId, "10.30.0.250", None, Ct);
        var again = await H2.RequestAddressAsync(poolId, "10.30.0.250", None, Ct);
        Assert.Equal(IPAddress.Parse("10.30.0.250"), again.Address);
    }

    [Fact]
    public async Task ReleaseAddress_GatewayOnOneHost_StaysForTheOther()
    {
        var poolId = await ReplicatedPoolAsync();
        await H1.ReleaseAddressAsync(poolId, "10.30.0.1", Ct);
        await H1.ReleasePoolAsync(poolId, Ct);

        var info = (await H2.GetPoolAsync(poolId, Ct))!;
        Assert.Equal(IPAddress.Parse("10.30.0.1"), info.Gateway);
        Assert.Equal(new Dictionary<string, int> { ["h2"] = 1 }, info.Holders);
        Assert.Equal(IPAddress.Parse("10.30.0.2"), (await H2.RequestAddressAsync(poolId, null, Endpoint("c"), Ct)).Address);
        await Assert.ThrowsAsync<AddressInUseException>(() => H2.RequestAddressAsync(poolId, "10.30.0.1", Endpoint("d"), Ct));
    }

    [Fact]
    public async Task ReleasePool_BothHostsRelease_PoolAndAddressesGone()
    {
        var poolId = await ReplicatedPoolAsync();
        await H2.RequestAddressAsync(poolId, null, Endpoint("c"), Ct);
        await H1.ReleasePoolAsync(poolId, Ct);
        await H2.ReleasePoolAsync(poolId, Ct);

        Assert.Null(await H1.GetPoolAsync(poolId, Ct));
        Assert.Empty(await H1.ListPoolsAsync(Ct));
        Assert.Equal([Store.KeyLayout.Key("ipam", "index")], await Env.IpamKeysAsync());
    }

    [Fact]
    public async Task ReleaseAddress_OtherHostsEndpoint_Ignored()
    {
        var poolId = await ReplicatedPoolAsync();
        var mine = await H1.RequestAddressAsync(poolId, null, Endpoint("c"), Ct);
        await H2.ReleaseAddressAsync(poolId, mine.Address.ToString(), Ct);

        Assert.Contains(await H1.ListAddressesAsync(poolId, Ct), a => a.Address.Equals(mine.Address) && a.HostId == "h1");
    }

    [Fact]
    public async Task RequestAddress_PoolFullUntilOtherHostReleases_ReusesAddressAfterReload()
    {
        var poolId = await ReplicatedPoolAsync("10.30.0.0/29");
        var taken = new List<IPAddress>();
        for (var i = 0; i < 5; i++)
            taken.Add((await H1.RequestAddressAsync(poolId, null, Endpoint($"c{i}"), Ct)).Address);
        await Assert.ThrowsAsync<PoolExhaustedException>(() => H2.RequestAddressAsync(poolId, null, Endpoint("x"), Ct));

        await H1.ReleaseAddressAsync(poolId, taken[2].ToString(), Ct);
        Assert.Equal(taken[2], (await H2.RequestAddressAsync(poolId, null, Endpoint("x"), Ct)).Address);
    }

    [Fact]
    public async Task RequestPool_ReleasedAndRecreatedElsewhere_StaleCacheOfFirstHostRecovers()
    {
        var p1 = await H1.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        await H1.RequestAddressAsync(p1.PoolId, null, Endpoint("c"), Ct);
        await H1.ReleasePoolAsync(p1.PoolId, Ct);

        var p2 = await H2.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        await Assert.ThrowsAsync<UnknownPoolException>(() => Env.Host("h3").RequestAddressAsync("dnp-local/10.31.0.0/24", null, None, Ct));
        var a = await H2.RequestAddressAsync(p2.PoolId, null, Endpoint("d"), Ct);
        var b = await H1.RequestAddressAsync(p2.PoolId, null, Endpoint("e"), Ct);
        Assert.Equal(IPAddress.Parse("10.30.0.1"), a.Address);
        Assert.Equal(IPAddress.Parse("10.30.0.2"), b.Address);
    }
}
