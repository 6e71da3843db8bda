using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Peers;

namespace DockerNetPlugin.Driver.Tests;

public sealed class PeerProjectionTests
{
    private static EndpointRecord Record(string host, string ip, string mac, string vtep, string? ipv6 = null) => new("n", ip, host, ip, ipv6, mac, vtep);

    [Fact]
    public void Project_RemoteRecords_NeighbourPerAddressAndOneFdbEach_LocalAndMalformedSkipped()
    {
        var entries = PeerProjection.Project([
            Record("b", "10.0.0.2/24", "02:42:0a:00:00:02", "192.0.2.2", "fd00::2/64"),
            Record("a", "10.0.0.3/24", "02:42:0a:00:00:03", "192.0.2.1"),
            Record("b", "10.0.0.4/24", "not-a-mac", "192.0.2.2"),
            Record("b", "10.0.0.5/24", "02:42:0a:00:00:05", "not-an-ip"),
        ], hostId: "a");

        var mac = PhysicalAddress.Parse("02-42-0A-00-00-02");
        Assert.Equal(2, entries.Neighbours.Count);
        Assert.Contains(new NeighbourEntry(IPAddress.Parse("10.0.0.2"), mac), entries.Neighbours);
        Assert.Contains(new NeighbourEntry(IPAddress.Parse("fd00::2"), mac), entries.Neighbours);
        Assert.Equal([new FdbTarget(mac, IPAddress.Parse("192.0.2.2"))], entries.Fdb);
    }

    [Fact]
    public void Difference_AddsMissing_RemovesStale_LeavesKeptAndPresentAlone()
    {
        var mac1 = PhysicalAddress.Parse("02-00-00-00-00-01");
        var mac2 = PhysicalAddress.Parse("02-00-00-00-00-02");
        var mac3 = PhysicalAddress.Parse("02-00-00-00-00-03");
        var vtep = IPAddress.Parse("192.0.2.9");
        var n = (int i, PhysicalAddress m) => new NeighbourEntry(IPAddress.Parse($"10.0.0.{i}"), m);
        var desired = new PeerEntries([n(1, mac1), n(2, mac2)], [new FdbTarget(mac1, vtep), new FdbTarget(mac2, vtep)]);
        var current = new PeerEntries([n(1, mac1), n(3, mac3), n(4, mac3)], [new FdbTarget(mac1, vtep), new FdbTarget(mac3, vtep)]);
        var keep = new PeerEntries([n(4, mac3)], []);

        var batch = PeerProjection.Difference(desired, current, keep);

        Assert.Equal([n(2, mac2)], batch.AddNeighbours);
        Assert.Equal([new FdbTarget(mac2, vtep)], batch.AddFdb);
        Assert.Equal([n(3, mac3)], batch.RemoveNeighbours);
        Assert.Equal([new FdbTarget(mac3, vtep)], batch.RemoveFdb);
        Assert.Equal(2, batch.Added);
        Assert.Equal(2, batch.Removed);
        Assert.True(PeerProjection.Difference(desired, desired).IsEmpty);
        Assert.Equal(4, desired.Union(current).Neighbours.Count);
    }
}
