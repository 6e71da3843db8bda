using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class NeighborFdbTests : NamespaceTest
{
    private readonly int _vxlan;

    public NeighborFdbTests()
        : base("neigh")
    {
        _vxlan = Rtnl.VxlanAdd(new VxlanSpec("vxlan0", 42));
        Rtnl.LinkSetUp(_vxlan);
    }

    [PrivilegedFact]
    public void NeighborReplace_Ipv4AndIpv6_KernelShowsPermanentEntries()
    {
        Rtnl.NeighborReplace(new Neighbor(_vxlan, IPAddress.Parse("10.0.0.5"), PhysicalAddress.Parse("02-42-0a-00-00-05")));
        Rtnl.NeighborReplace(new Neighbor(_vxlan, IPAddress.Parse("fd00::5"), PhysicalAddress.Parse("02-42-0a-00-00-06")));

        var shown = Tool.Ip(Ns, "neigh", "show", "dev", "vxlan0");
        Assert.Contains("10.0.0.5 lladdr 02:42:0a:00:00:05 PERMANENT", shown, StringComparison.Ordinal);
        Assert.Contains("fd00::5 lladdr 02:42:0a:00:00:06 PERMANENT", shown, StringComparison.Ordinal);
        Assert.Equal(
            [new NeighborInfo(_vxlan, IPAddress.Parse("fd00::5"), PhysicalAddress.Parse("02-42-0a-00-00-06"), NeighborState.Permanent)],
            Rtnl.NeighborList(_vxlan, AddressFamily.InterNetworkV6).Where(n => n.State == NeighborState.Permanent));
    }

    [PrivilegedFact]
    public void NeighborDelete_Existing_KernelShowsItGone()
    {
        Rtnl.NeighborAdd(new Neighbor(_vxlan, IPAddress.Parse("10.0.0.6"), PhysicalAddress.Parse("02-42-0a-00-00-06")));

        Rtnl.NeighborDelete(_vxlan, IPAddress.Parse("10.0.0.6"));

        Assert.DoesNotContain("10.0.0.6", Tool.Ip(Ns, "neigh", "show", "dev", "vxlan0"), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void NeighborDelete_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => Rtnl.NeighborDelete(_vxlan, IPAddress.Parse("10.0.0.77")));

        Assert.True(e.IsNotFound);
        Assert.Contains("10.0.0.77", e.Message, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void FdbReplace_WithVtepVniPort_KernelShowsSelfPermanentEntry()
    {
        Rtnl.FdbReplace(new FdbEntry(_vxlan, PhysicalAddress.Parse("02-42-0a-00-00-05"), IPAddress.Parse("192.0.2.10")));
        Rtnl.FdbReplace(new FdbEntry(_vxlan, PhysicalAddress.Parse("02-42-0a-00-00-07"), IPAddress.Parse("192.0.2.12"), 100, 4790));
        Rtnl.FdbAppend(new FdbEntry(_vxlan, PhysicalAddress.Parse("00-00-00-00-00-00"), IPAddress.Parse("192.0.2.20")));
        Rtnl.FdbAppend(new FdbEntry(_vxlan, PhysicalAddress.Parse("00-00-00-00-00-00"), IPAddress.Parse("192.0.2.21")));

        var shown = Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0");
        Assert.Contains("02:42:0a:00:00:05 dst 192.0.2.10 self permanent", shown, StringComparison.Ordinal);
        Assert.Contains("02:42:0a:00:00:07 dst 192.0.2.12 port 4790 vni 100 self permanent", shown, StringComparison.Ordinal);
        Assert.Contains("00:00:00:00:00:00 dst 192.0.2.20 self permanent", shown, StringComparison.Ordinal);
        Assert.Contains("00:00:00:00:00:00 dst 192.0.2.21 self permanent", shown, StringComparison.Ordinal);
        var listed = Rtnl.FdbList(_vxlan);
        Assert.Contains(new FdbEntry(_vxlan, PhysicalAddress.Parse("02-42-0a-00-00-07"), IPAddress.Parse("192.0.2.12"), 100, 4790), listed);
        Assert.Contains(new FdbEntry(_vxlan, PhysicalAddress.Parse("02-42-0a-00-00-05"), IPAddress.Parse("192.0.2.10")), listed);
    }

    [PrivilegedFact]
    public void FdbDelete_OneFloodRemote_KeepsTheOther()
    {
        var zero = PhysicalAddress.Parse("00-00-00-00-00-00");
        Rtnl.FdbAppend(new FdbEntry(_vxlan, zero, IPAddress.Parse("192.0.2.20")));
        Rtnl.FdbAppend(new FdbEntry(_vxlan, zero, IPAddress.Parse("192.0.2.21")));

        Rtnl.FdbDelete(new FdbEntry(_vxlan, zero, IPAddress.Parse("192.0.2.20")));

        var shown = Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0");
        Assert.DoesNotContain("192.0.2.20", shown, StringComparison.Ordinal);
        Assert.Contains("00:00:00:00:00:00 dst 192.0.2.21 self permanent", shown, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void FdbAppendMany_ZeroMacToThreeVteps_KernelShowsAFloodListAndRepeatingIsHarmless()
    {
        var zero = PhysicalAddress.Parse("00-00-00-00-00-00");
        var flood = new[] { "192.0.2.30", "192.0.2.31", "192.0.2.32" }.Select(v => new FdbEntry(_vxlan, zero, IPAddress.Parse(v))).ToList();

        Rtnl.FdbAppendMany(flood);
        Rtnl.FdbAppendMany(flood.Take(2).ToList()); // already there: the kernel keeps one remote each

        var shown = Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0");
        Assert.Equal(3, CountLines(shown, "00:00:00:00:00:00 dst 192.0.2.3"));
        Assert.All(flood, f => Assert.Contains($"00:00:00:00:00:00 dst {f.Vtep} self permanent", shown, StringComparison.Ordinal));
        Assert.Equal(flood.ToHashSet(), Rtnl.FdbList(_vxlan).Where(e => e.Mac.Equals(zero)).ToHashSet());

        Rtnl.FdbDeleteMany([flood[1]]);

        Assert.Equal([flood[0], flood[2]], Rtnl.FdbList(_vxlan).Where(e => e.Mac.Equals(zero)).OrderBy(e => e.Vtep!.ToString(), StringComparer.Ordinal));
    }

    [PrivilegedFact]
    public void FdbDelete_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => Rtnl.FdbDelete(new FdbEntry(_vxlan, PhysicalAddress.Parse("02-42-0a-00-00-66"), null)));

        Assert.True(e.IsNotFound);
        Assert.StartsWith($"RTM_DELNEIGH fdb 02:42:0a:00:00:66 on ifindex {_vxlan}: No such file or directory (ENOENT)", e.Message, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void ReplaceMany_500PeersEach_KernelShowsAllAndDeleteManyRemovesAll()
    {
        var peers = Enumerable.Range(1, 500).Select(Peer).ToList();
        var neighbors = peers.Select(p => p.Neighbor).ToList();
        var fdb = peers.Select(p => p.Fdb).ToList();

        Rtnl.NeighborReplaceMany(neighbors);
        Rtnl.FdbReplaceMany(fdb);

        Assert.Equal(500, CountLines(Tool.Ip(Ns, "-4", "neigh", "show", "dev", "vxlan0"), "PERMANENT"));
        Assert.Equal(500, CountLines(Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0"), "dst 192.0.2."));
        Assert.Equal(500, Rtnl.NeighborList(_vxlan, AddressFamily.InterNetwork).Count);
        Assert.Equal(500, Rtnl.FdbList(_vxlan).Count(e => e.Vtep is not null));

        Rtnl.FdbDeleteMany(fdb);
        Rtnl.NeighborDeleteMany(neighbors);

        Assert.Equal(0, CountLines(Tool.Ip(Ns, "-4", "neigh", "show", "dev", "vxlan0"), "PERMANENT"));
        Assert.Equal(0, CountLines(Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0"), "dst 192.0.2."));
    }

    [PrivilegedFact]
    public void NeighborDeleteMany_SomeMissing_ReportsEveryMissingItemAndDeletesTheRest()
    {
        var present = Enumerable.Range(1, 10).Select(i => Peer(i).Neighbor).ToList();
        Rtnl.NeighborReplaceMany(present);
        var missing = new[] { Peer(900).Neighbor, Peer(901).Neighbor, Peer(902).Neighbor };
        var mixed = present.Take(5).Concat(missing).Concat(present.Skip(5)).ToList();

        var e = Assert.Throws<NetlinkBatchException>(() => Rtnl.NeighborDeleteMany(mixed));

        Assert.Equal(missing, e.Failures.Select(f => f.Item));
        Assert.Equal([5, 6, 7], e.Failures.Select(f => f.Position));
        Assert.All(e.Failures, f => Assert.True(f.Error.IsNotFound));
        Assert.Equal(0, CountLines(Tool.Ip(Ns, "-4", "neigh", "show", "dev", "vxlan0"), "PERMANENT"));
    }

    [PrivilegedFact]
    public void FdbDeleteMany_3000AllMissing_ReportsEveryItemAcrossChunks()
    {
        var missing = Enumerable.Range(1, 3000).Select(i => Peer(i).Fdb).ToList();

        var e = Assert.Throws<NetlinkBatchException>(() => Rtnl.FdbDeleteMany(missing));

        Assert.Equal(Enumerable.Range(0, 3000), e.Failures.Select(f => f.Position));
        Assert.All(e.Failures, f => Assert.True(f.Error.IsNotFound));
        Assert.Same(missing[2999], e.Failures[2999].Item);
    }

    [PrivilegedFact]
    public async Task Handle_UsedFromManyThreadsAtOnce_EveryRequestLands()
    {
        var writers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 1; i <= 50; i++)
            {
                var (neighbor, fdb) = Peer((t * 100) + i);
                Rtnl.NeighborReplace(neighbor);
                Rtnl.FdbReplace(fdb);
                Assert.NotNull(Rtnl.LinkByIndex(_vxlan));
            }
        }));

        await Task.WhenAll(writers);

        Assert.Equal(400, CountLines(Tool.Ip(Ns, "-4", "neigh", "show", "dev", "vxlan0"), "PERMANENT"));
        Assert.Equal(400, CountLines(Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0"), "dst 192.0.2."));
    }

    [PrivilegedFact]
    public void FdbReplaceMany_InvalidItem_ThrowsBeforeSendingAnything()
    {
        var entries = new[] { Peer(1).Fdb, new FdbEntry(-1, PhysicalAddress.Parse("02-42-0a-00-00-01"), IPAddress.Parse("192.0.2.1")) };

        Assert.ThrowsAny<ArgumentException>(() => Rtnl.FdbReplaceMany(entries));

        Assert.Equal(0, CountLines(Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0"), "dst 192.0.2."));
    }

    private (Neighbor Neighbor, FdbEntry Fdb) Peer(int i)
    {
        var mac = new PhysicalAddress([0x02, 0x42, 10, 0, (byte)(i >> 8), (byte)i]);
        var ip = new IPAddress(new byte[] { 10, 0, (byte)(i >> 8), (byte)i });
        var vtep = new IPAddress(new byte[] { 192, 0, 2, (byte)(1 + (i % 200)) });
        return (new Neighbor(_vxlan, ip, mac), new FdbEntry(_vxlan, mac, vtep));
    }

    private static int CountLines(string output, string marker) =>
        output.Split('\n').Count(line => line.Contains(marker, StringComparison.Ordinal));

    [PrivilegedFact]
    public void FdbDelete_Master_RemovesTheBridgesEntryForThePortAndKeepsTheDevicesOwn()
    {
        Tool.Ip(Ns, "link", "add", "br0", "type", "bridge");
        Tool.Ip(Ns, "link", "set", "vxlan0", "master", "br0");
        var mac = PhysicalAddress.Parse("02-42-0a-00-00-09");
        Rtnl.FdbReplace(new FdbEntry(_vxlan, mac, IPAddress.Parse("192.0.2.10")));
        Tool.Bridge(Ns, "fdb", "add", "02:42:0a:00:00:09", "dev", "vxlan0", "master", "static");
        Assert.Contains("02:42:0a:00:00:09 master br0", Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0"), StringComparison.Ordinal);

        Rtnl.FdbDelete(new FdbEntry(_vxlan, mac, null, Master: true));

        var shown = Tool.Bridge(Ns, "fdb", "show", "dev", "vxlan0");
        Assert.DoesNotContain("02:42:0a:00:00:09 master br0", shown, StringComparison.Ordinal);
        Assert.Contains("02:42:0a:00:00:09 dst 192.0.2.10", shown, StringComparison.Ordinal);
    }
}
