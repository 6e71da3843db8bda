using System.Net;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Many tasks on many services (hosts) at once on one store: never a duplicate pool or address.</summary>
public sealed class IpamServiceConcurrencyTests : IpamStoreTestBase
{
    private IpamService[] _hosts = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _hosts = Enumerable.Range(1, 4).Select(i => Env.Host($"h{i}")).ToArray();
    }

    private async Task<string> ReplicatedPoolAsync(string cidr)
    {
        var ids = await Task.WhenAll(_hosts.Select(h => h.RequestPoolAsync(Pool(cidr, options: Network("net-a")), Ct)));
        Assert.Single(ids.Select(p => p.PoolId).Distinct());
        var gateways = await Task.WhenAll(_hosts.Select(h => h.RequestAddressAsync(ids[0].PoolId, null, Gateway, Ct)));
        Assert.Single(gateways.Select(g => g.Address).Distinct());
        return ids[0].PoolId;
    }

    /// <summary>30 concurrent requests on each of the 4 hosts; failures are returned, not thrown.</summary>
    private async Task<(List<IPAddress> Got, List<Exception> Failed)> StormAsync(string poolId)
    {
        var calls = _hosts.SelectMany((h, hi) => Enumerable.Range(0, 30).Select(async i =>
        {
            await Task.Yield();
            try
            {
                return ((IPAddress?)(await h.RequestAddressAsync(poolId, null, Endpoint($"h{hi}-c{i}"), Ct)).Address, (Exception?)null);
            }
            catch (IpamException e)
            {
                return (null, e);
            }
        }));
        var results = await Task.WhenAll(calls);
        return (results.Where(r => r.Item1 is not null).Select(r => r.Item1!).ToList(),
                results.Where(r => r.Item2 is not null).Select(r => r.Item2!).ToList());
    }

    [Fact]
    public async Task RequestAddress_120ConcurrentOnSlash24_120DistinctAddresses()
    {
        var poolId = await ReplicatedPoolAsync("10.30.0.0/24");
        var (got, failed) = await StormAsync(poolId);

        Assert.Empty(failed);
        Assert.Equal(120, got.Distinct().Count());
        Assert.DoesNotContain(IPAddress.Parse("10.30.0.1"), got);
        var stored = await _hosts[0].ListAddressesAsync(poolId, Ct);
        Assert.Equal(121, stored.Count);
        Assert.Equal(120, stored.Count(a => a.Kind == AddressKind.Endpoint));
    }

    [Fact]
    public async Task RequestAddress_120ConcurrentOnSlash27_ExhaustionButNoDuplicate()
    {
        var poolId = await ReplicatedPoolAsync("10.30.0.0/27");
        var (got, failed) = await StormAsync(poolId);

        Assert.Equal(got.Count, got.Distinct().Count());
        Assert.Equal(29, got.Count); // 30 usable minus the gateway
        Assert.Equal(91, failed.Count);
        Assert.All(failed, e => Assert.IsType<PoolExhaustedException>(e));
    }

    [Fact]
    public async Task RequestPool_ConcurrentDefaults_AllDistinctAndDisjoint()
    {
        var pools = await Task.WhenAll(_hosts.SelectMany(h => Enumerable.Range(0, 5).Select(_ => h.RequestPoolAsync(Pool(null), Ct))));

        var cidrs = pools.Select(p => Cidr.From(p.Pool)).ToList();
        Assert.Equal(20, cidrs.Distinct().Count());
        Assert.All(cidrs, a => Assert.Single(cidrs, b => a.Overlaps(b)));
    }

    [Fact]
    public async Task RequestPool_ConcurrentOverlappingSubnets_ExactlyOneWins()
    {
        string[] subnets = ["10.50.0.0/16", "10.50.0.0/17", "10.50.0.0/20", "10.50.0.0/24", "10.50.128.0/17", "10.50.3.0/24", "10.48.0.0/12", "10.50.0.64/26"];
        var outcomes = await Task.WhenAll(subnets.Select(async (s, i) =>
        {
            try
            {
                await _hosts[i % 4].RequestPoolAsync(Pool(s), Ct);
                return true;
            }
            catch (PoolOverlapException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        Assert.Single(await _hosts[0].ListPoolsAsync(Ct));
    }
}
