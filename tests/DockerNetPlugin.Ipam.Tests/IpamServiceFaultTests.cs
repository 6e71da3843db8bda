using System.Net;
using DockerNetPlugin.Store;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Store outages and compare-and-set races forced through <see cref="Fakes.FaultyKvStore"/>.</summary>
public sealed class IpamServiceFaultTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private IpamTestStore _env = null!;

    public async Task InitializeAsync() => _env = await IpamTestStore.CreateAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task RequestAddress_StoreUnavailable_PassesThroughAndRecoversWithoutLeak()
    {
        var ipam = _env.Host("h1", store: _env.Faulty);
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/29"), Ct);
        await ipam.RequestAddressAsync(pool.PoolId, null, Gateway, Ct);

        _env.Faulty.Unavailable = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ipam.RequestAddressAsync(pool.PoolId, null, Endpoint("c"), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => ipam.RequestPoolAsync(Pool("10.31.0.0/24"), Ct));
        _env.Faulty.Unavailable = false;

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
        var seed = _env.Host("h1");
        await seed.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var options = new IpamOptions { CasAttempts = 3 };
        var rival = _env.Host("h3"); // writes to the real store, so it does not trigger the injector itself
        var writes = 0;
        _env.Faulty.BeforeWrite = async () =>
        {
            writes++;
            await rival.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        };

        var ipam = _env.Host("h2", options, _env.Faulty);
        var e = await Assert.ThrowsAsync<IpamContentionException>(() => ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct));
        Assert.Contains("retry", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, writes);
        Assert.False((await seed.GetPoolAsync("dnp-local/10.30.0.0/24", Ct))!.Holders.ContainsKey("h2"));
    }

    [Fact]
    public async Task RequestAddress_PoolRecordChangedOnce_RetriesAndSucceeds()
    {
        var ipam = _env.Host("h1", store: _env.Faulty);
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var other = _env.Host("h2");
        _env.Faulty.BeforeWrite = async () =>
        {
            _env.Faulty.BeforeWrite = null;
            await other.RequestPoolAsync(Pool("10.30.0.0/24"), Ct); // changes the pool record under h1's cached version
        };

        var a = await ipam.RequestAddressAsync(pool.PoolId, null, Endpoint("c"), Ct);
        Assert.Equal(IPAddress.Parse("10.30.0.1"), a.Address);
    }
}
