using System.Text;
using DockerNetPlugin.Store;
using static DockerNetPlugin.Ipam.Tests.Requests;

namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Junk another writer left in the IPAM's keys: skipped and reported to the sink, never a failed allocation.</summary>
public sealed class IpamServiceInvalidRecordTests : IpamStoreTestBase
{
    private sealed class Sink : IInvalidRecordSink
    {
        public Dictionary<string, string> Invalid { get; } = new(StringComparer.Ordinal);

        public void Report(InvalidRecord invalid) => Invalid[invalid.Key] = invalid.Reason;

        public void ReplaceUnder(string prefix, IReadOnlyCollection<InvalidRecord> invalidNow)
        {
            foreach (var key in Invalid.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                Invalid.Remove(key);
            foreach (var i in invalidNow)
                Report(i);
        }
    }

    private Task PutAsync(string key, string value) => Env.Store.PutAsync(key, Encoding.UTF8.GetBytes(value), null, Ct);

    [Fact]
    public async Task JunkKeyUnderAPoolsAddresses_AllocationsGoOn_BrokenAddressStaysTaken_Reported()
    {
        var sink = new Sink();
        var ipam = Env.Host("h1", new IpamOptions { InvalidRecords = sink });
        var pool = await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        await ipam.RequestAddressAsync(pool.PoolId, null, Gateway, Ct);
        var cidr = Cidr.Parse("10.30.0.0/24", "test");
        var generation = IpamRecordValidator.Pool((await Env.Store.ListAsync(IpamKeys.PoolsPrefix, Ct)).Entries.Single()).Value!.Generation;
        var junk = IpamKeys.AddressesPrefix(cidr, generation) + "junk";
        var taken = IpamKeys.Address(cidr, generation, IpNumber.From(System.Net.IPAddress.Parse("10.30.0.9")));
        await PutAsync(junk, "not json");
        await PutAsync(taken, "not json"); // a real address with a broken record: it stays taken

        var fresh = Env.Host("h2", new IpamOptions { InvalidRecords = sink }); // a host that loads the pool's view now
        var got = new List<string>();
        for (var i = 0; i < 10; i++)
            got.Add((await fresh.RequestAddressAsync(pool.PoolId, null, Endpoint($"c{i}"), Ct)).Address.ToString());

        Assert.DoesNotContain("10.30.0.9", got);
        Assert.Equal(10, got.Distinct().Count());
        Assert.Contains(junk, sink.Invalid.Keys);
        var listed = await fresh.ListAddressesAsync(pool.PoolId, Ct);
        Assert.DoesNotContain(listed, a => a.Address.ToString() == "10.30.0.9");
        Assert.Contains(taken, sink.Invalid.Keys);
        await Assert.ThrowsAsync<AddressInUseException>(() => fresh.RequestAddressAsync(pool.PoolId, "10.30.0.9", Endpoint("x"), Ct));
    }

    [Fact]
    public async Task JunkUnderPools_ListSkipsIt_OtherPoolsWork()
    {
        var sink = new Sink();
        var ipam = Env.Host("h1", new IpamOptions { InvalidRecords = sink });
        await ipam.RequestPoolAsync(Pool("10.30.0.0/24"), Ct);
        var junk = IpamKeys.PoolsPrefix + "junk";
        await PutAsync(junk, "{}");

        var pools = await ipam.ListPoolsAsync(Ct);

        Assert.Single(pools);
        Assert.Contains(junk, sink.Invalid.Keys);
        await Env.Store.DeleteAsync(junk, Ct);
        await ipam.ListPoolsAsync(Ct);
        Assert.Empty(sink.Invalid);
    }
}
