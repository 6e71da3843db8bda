using System.Net;
using DockerNetPlugin.Store;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Store outages and compare-and-set races forced through <see cref="Fakes.FaultyKvStore"/>.</summary>
public sealed class IpamServiceFaultTests : IpamStoreTestBase
{

    [Fact]
    public async Task RequestAddress_StoreUnavailable_PassesThroughAndRecoversWithoutLeak()
    {
        var ipam = Env.Host("h1", store: Env.Faulty);
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/29"), Ct);
        await ipam.RequestAddressAsync(pool.PoolId, null, Gateway, Ct);

        Env.Faulty.Unavailable = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ipam.RequestAddressAsync(pool.PoolId, null, Endpoint("c"), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ipam.RequestPoolAsync(Pool("10.31.0.0/24"), Ct));
        Env.Faulty.Unavailable = false;

        // The failed claim left nothing behind: all five remaining addresses are still there to take.
        var got = new List<IPAddress>();
        for (var i = 0; i < 5; i++)
            got.Add((await ipam.RequestAddressAsync(pool.PoolId, null, Endpoint($"c{i}"), Ct)).Address);
        Assert.Equal(5, got.Distinct().Count());
        Assert.Single(await ipam.ListPoolsAsync(Ct));
    }

    [Fact]
    public async Task RequestPool_PoolRecordChangesOnEveryWrite_ThrowsContentionAfterBoundedAttempts()
    {
        var seed = Env.Host("h1");
        await seed.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var options = new IpamOptions { CasAttempts = 3 };
        var rival = Env.Host("h3"); // writes to the real store, so it does not trigger the injector itself
        var writes = 0;
        Env.Faulty.BeforeWrite = async () =>
        {
            writes++;
            await rival.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        };

        var ipam = Env.Host("h2", options, Env.Faulty);
        var e = await Assert.ThrowsAsync<IpamContentionException>(() => ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct));
        Assert.Contains("retry", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, writes);
        Assert.False((await seed.GetPoolAsync("dnp-local/10.30.0.0/24", Ct))!.Holders.ContainsKey("h2"));
    }

    [Fact]
    public async Task RequestAddress_PoolRecordChangedOnce_RetriesAndSucceeds()
    {
        var ipam = Env.Host("h1", store: Env.Faulty);
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var other = Env.Host("h2");
        Env.Faulty.BeforeWrite = async () =>
        {
            Env.Faulty.BeforeWrite = null;
            await other.RequestPoolAsync(Pool("10.30.0.0/24"), Ct); // changes the pool record under h1's cached version
        };

        var a = await ipam.RequestAddressAsync(pool.PoolId, null, Endpoint("c"), Ct);
        Assert.Equal(IPAddress.Parse("10.30.0.1"), a.Address);
    }
}
