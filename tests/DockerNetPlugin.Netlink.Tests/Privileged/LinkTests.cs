using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class LinkTests : NamespaceTest
{
    public LinkTests()
        : base("link")
    {
    }


    [PrivilegedFact]
    public void BridgeAdd_MtuAndMac_KernelShowsBridge()
    {
        var index = Rtnl.BridgeAdd("br0", 1450, PhysicalAddress.Parse("02-42-0a-00-00-99"));

        var shown = Tool.Ip(Ns, "-d", "link", "show", "dev", "br0");
        Assert.Contains($"{index}: br0:", shown, StringComparison.Ordinal);
        Assert.Contains("mtu 1450", shown, StringComparison.Ordinal);
        Assert.Contains("link/ether 02:42:0a:00:00:99", shown, StringComparison.Ordinal);
        Assert.Contains("bridge forward_delay", shown, StringComparison.Ordinal);
        Assert.Equal("bridge", Rtnl.LinkByIndex(index)?.Kind);
    }

    [PrivilegedFact]
    public void BridgeAdd_SnoopingOff_ThenSetOn_KernelShowsEach()
    {
        var off = Rtnl.BridgeAdd("brm", multicastSnooping: false);
        var plain = Rtnl.BridgeAdd("brp");

        Assert.Contains("mcast_snooping 0", Tool.Ip(Ns, "-d", "link", "show", "dev", "brm"), StringComparison.Ordinal);
        Assert.Contains("mcast_snooping 1", Tool.Ip(Ns, "-d", "link", "show", "dev", "brp"), StringComparison.Ordinal);
        Assert.Equal(false, Rtnl.LinkByIndex(off)?.MulticastSnooping);
        Assert.Equal(true, Rtnl.LinkByIndex(plain)?.MulticastSnooping);

        Rtnl.BridgeSetMulticastSnooping(off, on: true);
        Rtnl.BridgeSetMulticastSnooping(plain, on: false);

        Assert.Contains("mcast_snooping 1", Tool.Ip(Ns, "-d", "link", "show", "dev", "brm"), StringComparison.Ordinal);
        Assert.Contains("mcast_snooping 0", Tool.Ip(Ns, "-d", "link", "show", "dev", "brp"), StringComparison.Ordinal);
        Assert.Equal(false, Rtnl.LinkByName("brp")?.MulticastSnooping);
        Assert.Null(Rtnl.LinkByName("lo")?.MulticastSnooping);
    }

    [PrivilegedFact]
    public void VethAdd_SameNamespace_ReturnsBothIndexesAsKernelPairsThem()
    {
        var (index, peer) = Rtnl.VethAdd("va", "vb", mtu: 1400, mac: PhysicalAddress.Parse("02-00-00-00-00-0a"), peerMac: PhysicalAddress.Parse("02-00-00-00-00-0b"));

        Assert.Contains($"{index}: va@vb:", Tool.Ip(Ns, "link", "show", "dev", "va"), StringComparison.Ordinal);
        var peerShown = Tool.Ip(Ns, "link", "show", "dev", "vb");
        Assert.Contains($"{peer}: vb@va:", peerShown, StringComparison.Ordinal);
        Assert.Contains("mtu 1400", peerShown, StringComparison.Ordinal);
        Assert.Contains("link/ether 02:00:00:00:00:0b", peerShown, StringComparison.Ordinal);
        var link = Rtnl.LinkByName("va")!;
        Assert.Equal(("veth", peer, (int?)null), (link.Kind, link.PeerIndex, link.LinkNetNsId));
    }

    [PrivilegedFact]
    public void VethAdd_PeerInOtherNamespace_CreatesPeerThere()
    {
        using var other = new TestNamespace("peer");

        var (index, peer) = Rtnl.VethAdd("vh", "vc", peerNamespace: other.Ns);

        Assert.Equal(0, peer);
        Assert.Contains("vc@", Tool.Ip(other, "link", "show", "dev", "vc"), StringComparison.Ordinal);
        Assert.Null(Rtnl.LinkByName("vc"));
        Assert.NotNull(Rtnl.LinkByIndex(index)!.LinkNetNsId);
    }

    [PrivilegedFact]
    public void LinkSetNetNs_VethEnd_MovesItToOtherNamespace()
    {
        using var other = new TestNamespace("move");
        var (_, peer) = Rtnl.VethAdd("vm0", "vm1");

        Rtnl.LinkSetNetNs(peer, other.Ns);

        Assert.Null(Rtnl.LinkByName("vm1"));
        Assert.Contains("vm1@", Tool.Ip(other, "link", "show", "dev", "vm1"), StringComparison.Ordinal);
        Assert.NotNull(other.Rtnl.LinkByName("vm1"));
        Assert.NotNull(Rtnl.LinkByName("vm0")!.LinkNetNsId);
    }

    [PrivilegedFact]
    public void VxlanAdd_AllFlags_KernelShowsEveryFlag()
    {
        var dummyUnderlay = Rtnl.BridgeAdd("under0");
        Rtnl.AddressAdd(dummyUnderlay, IPAddress.Parse("192.0.2.1"), 24);
        var spec = new VxlanSpec("vx0", 4242, Port: 4789, Learning: false, Proxy: true, L2Miss: true, L3Miss: true, Ttl: 64,
            Local: IPAddress.Parse("192.0.2.1"), UnderlayIndex: dummyUnderlay, Mtu: 1450);

        var index = Rtnl.VxlanAdd(spec);

        var shown = Tool.Ip(Ns, "-d", "link", "show", "dev", "vx0");
        Assert.Contains("mtu 1450", shown, StringComparison.Ordinal);
        Assert.Contains("vxlan id 4242 local 192.0.2.1 dev under0", shown, StringComparison.Ordinal);
        Assert.Contains("dstport 4789", shown, StringComparison.Ordinal);
        Assert.Contains("nolearning", shown, StringComparison.Ordinal);
        Assert.Contains("proxy l2miss l3miss", shown, StringComparison.Ordinal);
        Assert.Contains("ttl 64", shown, StringComparison.Ordinal);
        Assert.Equal(
            new VxlanInfo(4242, 4789, false, true, true, true, 64, IPAddress.Parse("192.0.2.1"), dummyUnderlay),
            Rtnl.LinkByIndex(index)!.Vxlan);
    }

    [PrivilegedFact]
    public void VxlanAdd_LearningNoMissFlags_KernelShowsDefaults()
    {
        Rtnl.VxlanAdd(new VxlanSpec("vx1", 77, Port: 4790, Learning: true, Proxy: false, L2Miss: false, L3Miss: false));

        var shown = Tool.Ip(Ns, "-d", "link", "show", "dev", "vx1");
        Assert.Contains("vxlan id 77", shown, StringComparison.Ordinal);
        Assert.Contains("dstport 4790", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("nolearning", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("l2miss", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("l3miss", shown, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void VxlanAdd_SameVniTwice_ThrowsWithKernelText()
    {
        Rtnl.VxlanAdd(new VxlanSpec("vxa", 1000));

        var e = Assert.Throws<NetlinkException>(() => Rtnl.VxlanAdd(new VxlanSpec("vxb", 1000)));

        Assert.True(e.IsAlreadyExists);
        Assert.Equal(17, e.Errno);
        Assert.Equal("A VXLAN device with the specified VNI already exists", e.KernelMessage);
        Assert.Equal("RTM_NEWLINK vxlan 'vxb': File exists (EEXIST): A VXLAN device with the specified VNI already exists", e.Message);
    }

    [PrivilegedFact]
    public void LinkSetters_UpMtuMacMasterName_KernelShowsEachChange()
    {
        var bridge = Rtnl.BridgeAdd("brs");
        var (veth, _) = Rtnl.VethAdd("vs0", "vs1");

        Rtnl.LinkSetMtu(veth, 1300);
        Rtnl.LinkSetMac(veth, PhysicalAddress.Parse("02-42-0a-00-00-02"));
        Rtnl.LinkSetMaster(veth, bridge);
        Rtnl.LinkSetName(veth, "eth7");
        Rtnl.LinkSetUp(veth);

        var shown = Tool.Ip(Ns, "-d", "link", "show", "dev", "eth7");
        Assert.Contains("mtu 1300", shown, StringComparison.Ordinal);
        Assert.Contains("link/ether 02:42:0a:00:00:02", shown, StringComparison.Ordinal);
        Assert.Contains("master brs", shown, StringComparison.Ordinal);
        Assert.Contains(",UP", shown, StringComparison.Ordinal);
        var link = Rtnl.LinkByName("eth7")!;
        Assert.Equal((veth, 1300, bridge, true), (link.Index, link.Mtu, link.MasterIndex, link.IsUp));

        Rtnl.LinkSetMaster(veth, 0);
        Rtnl.LinkSetDown(veth);

        shown = Tool.Ip(Ns, "link", "show", "dev", "eth7");
        Assert.DoesNotContain("master", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(",UP", shown, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void LinkDelete_Existing_RemovesBothVethEnds()
    {
        var (veth, peer) = Rtnl.VethAdd("vd0", "vd1");

        Rtnl.LinkDelete(veth);

        Assert.Null(Rtnl.LinkByIndex(peer));
        Assert.Equal(1, Tool.TryRun("ip", "-n", Ns.Name, "link", "show", "dev", "vd1").Code);
    }

    [PrivilegedFact]
    public void LinkDelete_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => Rtnl.LinkDelete(9999));

        Assert.True(e.IsNotFound);
        Assert.Equal(19, e.Errno);
        Assert.StartsWith("RTM_DELLINK ifindex 9999: No such device (ENODEV)", e.Message, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void LinkList_AfterCreates_ListsEveryLinkTheKernelShows()
    {
        Rtnl.BridgeAdd("brl");
        Rtnl.VethAdd("vl0", "vl1");

        var names = Rtnl.LinkList().Select(l => l.Name).Order().ToList();

        var kernel = Tool.Ip(Ns, "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0]).Order().ToList();
        Assert.Equal(kernel, names);
        Assert.Equal(["brl", "lo", "vl0", "vl1"], names);
    }

    [PrivilegedFact]
    public void BridgeAdd_NameTooLong_ThrowsBeforeSending()
    {
        Assert.Throws<ArgumentException>(() => Rtnl.BridgeAdd("a-very-long-name-x"));
    }
}
