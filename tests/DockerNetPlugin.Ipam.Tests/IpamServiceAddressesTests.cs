using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

public sealed class IpamServiceAddressesTests(ITestOutputHelper output) : IpamStoreTestBase
{

    private static readonly IpamOptions MacAware = new() { EndpointRequestsCarryMac = true };

    private async Task<(IpamService Ipam, string PoolId)> PoolAsync(string cidr, string? subPool = null, bool v6 = false)
    {
        var ipam = Env.Host("h1", MacAware);
        var pool = await ipam.RequestPoolAsync(Pool(cidr, subPool, v6: v6), Ct);
        return (ipam, pool.PoolId);
    }

    private static async Task<string> AddressAsync(IpamService ipam, string poolId, string? address = null, IReadOnlyDictionary<string, string>? options = null)
    {
        var a = await ipam.RequestAddressAsync(poolId, address, options ?? None, Ct);
        return $"{a.Address}/{a.PrefixLength}";
    }

    [Fact]
    public async Task RequestAddress_GatewayThenEndpoints_GatewayFirstThenSequential()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");

        Assert.Equal("10.30.0.1/24", await AddressAsync(ipam, poolId, options: Gateway));
        Assert.Equal("10.30.0.2/24", await AddressAsync(ipam, poolId, options: Endpoint("c1")));
        Assert.Equal("10.30.0.3/24", await AddressAsync(ipam, poolId));
        Assert.Equal(IPAddress.Parse("10.30.0.1"), (await ipam.GetPoolAsync(poolId, Ct))!.Gateway);
    }

    [Fact]
    public async Task RequestAddress_ExplicitGateway_RecordedAndSkippedByDynamic()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");

        Assert.Equal("10.30.0.254/24", await AddressAsync(ipam, poolId, "10.30.0.254", Gateway));
        Assert.Equal("10.30.0.254/24", await AddressAsync(ipam, poolId, "10.30.0.254", Gateway));
        var e = await Assert.ThrowsAsync<InvalidIpamRequestException>(() => AddressAsync(ipam, poolId, "10.30.0.1", Gateway));
        Assert.Contains("already has gateway 10.30.0.254", e.Message, StringComparison.Ordinal);
        Assert.Equal("10.30.0.1/24", await AddressAsync(ipam, poolId));
    }

    [Fact]
    public async Task RequestAddress_ExplicitTaken_ThrowsInUseNamingHolder()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        await AddressAsync(ipam, poolId, "10.30.0.5", Endpoint("web"));

        var e = await Assert.ThrowsAsync<AddressInUseException>(() => AddressAsync(ipam, poolId, "10.30.0.5", Endpoint("db")));
        Assert.Equal(
            "address 10.30.0.5 is already allocated in pool 10.30.0.0/24 (held by host h1 for endpoint web); choose another --ip or omit it",
            e.Message);
    }

    [Fact]
    public async Task RequestAddress_SameEndpointRepeats_ReturnsSameAddress()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        await AddressAsync(ipam, poolId, "10.30.0.5", Endpoint("web"));
        Assert.Equal("10.30.0.5/24", await AddressAsync(ipam, poolId, "10.30.0.5", Endpoint("web")));
    }

    [Fact]
    public async Task RequestAddress_ExplicitGatewayAddressAsEndpoint_ThrowsInUse()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        await AddressAsync(ipam, poolId, options: Gateway);
        var e = await Assert.ThrowsAsync<AddressInUseException>(() => AddressAsync(ipam, poolId, "10.30.0.1", Endpoint("c")));
        Assert.Contains("gateway", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.31.0.5")]
    [InlineData("fd00::5")]
    public async Task RequestAddress_OutsidePool_ThrowsOutOfRange(string address)
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        var e = await Assert.ThrowsAsync<AddressOutOfRangeException>(() => AddressAsync(ipam, poolId, address));
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.30.0.0", "network")]
    [InlineData("10.30.0.255", "broadcast")]
    [InlineData("10.30.0", "not a dotted-quad")]
    [InlineData("banana", "not an IP address")]
    public async Task RequestAddress_UnusableAddress_ThrowsInvalidRequest(string address, string expected)
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        var e = await Assert.ThrowsAsync<InvalidIpamRequestException>(() => AddressAsync(ipam, poolId, address, Endpoint("c")));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dnp-local/10.99.0.0/24", "does not exist")]
    [InlineData("some-other-ipam-id", "not one this driver hands out")]
    public async Task RequestAddress_UnknownPool_ThrowsUnknownPool(string poolId, string expected)
    {
        var e = await Assert.ThrowsAsync<UnknownPoolException>(() => AddressAsync(Env.Host("h1"), poolId));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAddress_AuxAddress_ReservedSharedAndKeptOnRelease()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/29");
        await AddressAsync(ipam, poolId, options: Gateway);
        Assert.Equal("10.30.0.2/29", await AddressAsync(ipam, poolId, "10.30.0.2"));
        Assert.Equal("10.30.0.2/29", await AddressAsync(ipam, poolId, "10.30.0.2")); // every host reserves it again
        await ipam.ReleaseAddressAsync(poolId, "10.30.0.2", Ct);

        Assert.Equal("10.30.0.3/29", await AddressAsync(ipam, poolId, options: Endpoint("c1")));
        var aux = (await ipam.ListAddressesAsync(poolId, Ct)).Single(a => a.Address.Equals(IPAddress.Parse("10.30.0.2")));
        Assert.Equal(AddressKind.Aux, aux.Kind);
        await Assert.ThrowsAsync<AddressInUseException>(() => AddressAsync(ipam, poolId, "10.30.0.2", Endpoint("c2")));
    }

    [Fact]
    public async Task RequestAddress_NoOptionsWithoutMacCapability_TreatedAsOwnedEndpoint()
    {
        var ipam = Env.Host("h1");
        var poolId = (await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct)).PoolId;
        await ipam.RequestAddressAsync(poolId, "10.30.0.9", null, Ct); // pre-v29 --ip and --aux-address look alike

        var e = await Assert.ThrowsAsync<AddressInUseException>(() => Env.Host("h2").RequestAddressAsync(poolId, "10.30.0.9", null, Ct));
        Assert.Contains("held by host h1 for an endpoint", e.Message, StringComparison.Ordinal);
        await ipam.ReleaseAddressAsync(poolId, "10.30.0.9", Ct);
        Assert.Empty(await ipam.ListAddressesAsync(poolId, Ct));
    }

    [Fact]
    public async Task RequestAddress_IpRange_DynamicFromRangeExplicitAnywhere()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24", "10.30.0.128/30");

        Assert.Equal("10.30.0.128/24", await AddressAsync(ipam, poolId, options: Gateway));
        Assert.Equal("10.30.0.129/24", await AddressAsync(ipam, poolId));
        Assert.Equal("10.30.0.10/24", await AddressAsync(ipam, poolId, "10.30.0.10", Endpoint("fixed")));
        Assert.Equal("10.30.0.130/24", await AddressAsync(ipam, poolId));
        Assert.Equal("10.30.0.131/24", await AddressAsync(ipam, poolId));
        var e = await Assert.ThrowsAsync<PoolExhaustedException>(() => AddressAsync(ipam, poolId));
        Assert.Contains("--ip-range 10.30.0.128/30", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAddress_PoolFull_ThrowsExhaustedWithCount()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/29");
        await AddressAsync(ipam, poolId, options: Gateway);
        for (var i = 0; i < 5; i++)
            await AddressAsync(ipam, poolId);

        var e = await Assert.ThrowsAsync<PoolExhaustedException>(() => AddressAsync(ipam, poolId));
        Assert.StartsWith("pool 10.30.0.0/29 has no free addresses (6 in use)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseAddress_Endpoint_FreedAndReusedAfterTheCursorWraps()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/29");
        await AddressAsync(ipam, poolId, options: Gateway);
        await AddressAsync(ipam, poolId); // .2
        await AddressAsync(ipam, poolId); // .3
        await ipam.ReleaseAddressAsync(poolId, "10.30.0.2", Ct);
        await ipam.ReleaseAddressAsync(poolId, "10.30.0.2", Ct); // idempotent

        Assert.Equal("10.30.0.4/29", await AddressAsync(ipam, poolId)); // rotating cursor: no immediate reuse
        Assert.Equal("10.30.0.5/29", await AddressAsync(ipam, poolId));
        Assert.Equal("10.30.0.6/29", await AddressAsync(ipam, poolId));
        Assert.Equal("10.30.0.2/29", await AddressAsync(ipam, poolId));
    }

    [Fact]
    public async Task ReleaseAddress_UnknownPoolOrAddress_Succeeds()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        await ipam.ReleaseAddressAsync("dnp-local/10.99.0.0/24", "10.99.0.5", Ct);
        await ipam.ReleaseAddressAsync("garbage", "10.99.0.5", Ct);
        await ipam.ReleaseAddressAsync(poolId, "10.30.0.77", Ct);
        await ipam.ReleaseAddressAsync(poolId, "10.31.0.1", Ct);
        Assert.Empty(await ipam.ListAddressesAsync(poolId, Ct));
    }

    [Fact]
    public async Task RequestAddress_V6Pool_GatewayOneThenSequentialExplicitAnywhere()
    {
        var (ipam, poolId) = await PoolAsync("fd00:30::/64", v6: true);

        Assert.Equal("fd00:30::1/64", await AddressAsync(ipam, poolId, options: Gateway));
        Assert.Equal("fd00:30::2/64", await AddressAsync(ipam, poolId, options: Endpoint("c1")));
        Assert.Equal("fd00:30::dead:beef/64", await AddressAsync(ipam, poolId, "fd00:30::dead:beef", Endpoint("c2")));
        await Assert.ThrowsAsync<AddressOutOfRangeException>(() => AddressAsync(ipam, poolId, "10.30.0.1", Endpoint("c3")));
    }

    [Fact]
    public async Task ListAddresses_AfterAllocations_ShowsKindOwnerAndEndpoint()
    {
        var (ipam, poolId) = await PoolAsync("10.30.0.0/24");
        await AddressAsync(ipam, poolId, options: Gateway);
        await AddressAsync(ipam, poolId, options: Endpoint("web"));
        await AddressAsync(ipam, poolId, "10.30.0.200");

        var list = await ipam.ListAddressesAsync(poolId, Ct);
        Assert.Equal(
            [("10.30.0.1", AddressKind.Gateway, "h1", (string?)null), ("10.30.0.2", AddressKind.Endpoint, "h1", "web"), ("10.30.0.200", AddressKind.Aux, "h1", null)],
            list.Select(a => (a.Address.ToString(), a.Kind, a.HostId, a.EndpointName)).ToList());
    }

    [Fact]
    public async Task RequestAddress_V6BoundedRange_ExhaustsAfterTheConfiguredAddresses()
    {
        var ipam = Env.Host("h1", new IpamOptions { V6DynamicRange = 3 });
        var poolId = (await ipam.RequestPoolAsync(Pool("fd00:30::/64", v6: true), Ct)).PoolId;

        Assert.Equal("fd00:30::1/64", await AddressAsync(ipam, poolId, options: Gateway));
        Assert.Equal("fd00:30::2/64", await AddressAsync(ipam, poolId));
        Assert.Equal("fd00:30::3/64", await AddressAsync(ipam, poolId));
        var e = await Assert.ThrowsAsync<PoolExhaustedException>(() => AddressAsync(ipam, poolId));
        Assert.Contains("(3 in use)", e.Message, StringComparison.Ordinal);
        Assert.Equal("fd00:30::1:0:0:5/64", await AddressAsync(ipam, poolId, "fd00:30::1:0:0:5", Endpoint("fixed")));
    }

    [Fact]
    public async Task RequestAddress_ThousandSequential_AllDistinctAndTimed()
    {
        var (ipam, poolId) = await PoolAsync("10.40.0.0/22");
        await AddressAsync(ipam, poolId, options: Gateway);
        var watch = Stopwatch.StartNew();
        var seen = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
            Assert.True(seen.Add(await AddressAsync(ipam, poolId, options: Endpoint($"c{i}"))));
        watch.Stop();
        output.WriteLine($"1000 sequential RequestAddress on FileKvStore: {watch.ElapsedMilliseconds} ms ({watch.Elapsed.TotalMilliseconds / 1000:F3} ms each)");
        Assert.Equal(1001, (await ipam.ListAddressesAsync(poolId, Ct)).Count);
    }
}
