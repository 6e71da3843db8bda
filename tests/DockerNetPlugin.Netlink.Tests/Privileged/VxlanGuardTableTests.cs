using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class VxlanGuardTableTests : IDisposable
{
    private const ushort Port = 4789;
    private readonly GuardFabric _fabric = new();
    private readonly VxlanGuardTable _guard;

    public VxlanGuardTableTests() => _guard = new VxlanGuardTable(_fabric.Nft, "host-a");

    public void Dispose()
    {
        _fabric.Dispose();
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void Ensure_PeerAllowed_PeerArrivesStrangerDroppedAndCounted()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4, GuardFabric.Peer6]);
        using var receiver4 = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetwork, Port);
        using var receiver6 = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetworkV6, Port);

        SendFrom(_fabric.Stranger, GuardFabric.Guarded4, "stranger4");
        SendFrom(_fabric.Stranger, GuardFabric.Guarded6, "stranger6-x");
        Assert.True(GuardFabric.Eventually(() => _guard.ReadDropped()!.Packets == 2), $"drops counted: {_guard.ReadDropped()}");
        SendFrom(_fabric.Peer, GuardFabric.Guarded4, "peer4");
        SendFrom(_fabric.Peer, GuardFabric.Guarded6, "peer6");

        Assert.Equal(("peer4", GuardFabric.Peer4), Receive(receiver4));
        Assert.Equal(("peer6", GuardFabric.Peer6), Receive(receiver6));
        Assert.False(receiver4.Poll(0, SelectMode.SelectRead), "a stranger's datagram arrived (IPv4)");
        Assert.False(receiver6.Poll(0, SelectMode.SelectRead), "a stranger's datagram arrived (IPv6)");
        // The counter holds the IP length: 20 + 8 + 9 bytes for IPv4, 40 + 8 + 11 for IPv6.
        Assert.Equal(new VxlanGuardCounters(1, 37, 1, 59), _guard.ReadDropped());
    }

    [PrivilegedFact]
    public void Ensure_OtherPort_LeavesOtherUdpAlone()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        using var receiver = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetwork, 5000);

        SendFrom(_fabric.Stranger, GuardFabric.Guarded4, "not vxlan", 5000);

        Assert.Equal(("not vxlan", GuardFabric.Stranger4), Receive(receiver));
        Assert.Equal(0UL, _guard.ReadDropped()!.Packets);
    }

    [PrivilegedFact]
    public void UpdateVteps_SwapsAllowedSourcesAtomically()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        using var receiver = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetwork, Port);

        _guard.UpdateVteps([GuardFabric.Stranger4, GuardFabric.Stranger6]);

        var listed = _fabric.ListGuard(VxlanGuardTable.Ipv4SetName);
        Assert.Contains("elements = { 10.99.0.3 }", listed, StringComparison.Ordinal);
        Assert.Contains("elements = { fd99::3 }", _fabric.ListGuard(VxlanGuardTable.Ipv6SetName), StringComparison.Ordinal);
        SendFrom(_fabric.Peer, GuardFabric.Guarded4, "old peer");
        Assert.True(GuardFabric.Eventually(() => _guard.ReadDropped()!.Ipv4Packets == 1));
        SendFrom(_fabric.Stranger, GuardFabric.Guarded4, "now allowed");
        Assert.Equal(("now allowed", GuardFabric.Stranger4), Receive(receiver));
        Assert.False(receiver.Poll(0, SelectMode.SelectRead));
    }

    [PrivilegedFact]
    public void UpdateVteps_HostJoinsLater_BothPeersArrive()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        using var receiver = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetwork, Port);

        _guard.UpdateVteps([GuardFabric.Peer4, GuardFabric.Stranger4]);

        SendFrom(_fabric.Peer, GuardFabric.Guarded4, "first");
        Assert.Equal(("first", GuardFabric.Peer4), Receive(receiver));
        SendFrom(_fabric.Stranger, GuardFabric.Guarded4, "joined");
        Assert.Equal(("joined", GuardFabric.Stranger4), Receive(receiver));
        Assert.Equal(0UL, _guard.ReadDropped()!.Packets);
    }

    [PrivilegedFact]
    public void Ensure_ContainerSendsVxlanToItsOwnHost_DroppedAndCounted()
    {
        // A container behind a local bridge (as on docker_gwbridge) reaches its host's own VTEP address by routing.
        using var container = new TestNamespace("ctr");
        var g = _fabric.Guarded.Rtnl;
        var bridge = g.BridgeAdd("gw0");
        g.AddressAdd(bridge, IPAddress.Parse("172.31.0.1"), 24);
        var (port, _) = g.VethAdd("gwc", "eth0", peerNamespace: container.Ns);
        g.LinkSetMaster(port, bridge);
        g.LinkSetUp(bridge);
        g.LinkSetUp(port);
        var eth0 = container.Rtnl.LinkByName("eth0")!.Index;
        container.Rtnl.AddressAdd(eth0, IPAddress.Parse("172.31.0.2"), 24);
        container.Rtnl.LinkSetUp(eth0);
        container.Rtnl.RouteAdd(new Model.RouteSpec(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("172.31.0.1"), eth0));
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        using var receiver = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetwork, Port);

        SendFrom(container, GuardFabric.Guarded4, "from a container");

        Assert.True(GuardFabric.Eventually(() => _guard.ReadDropped()!.Ipv4Packets == 1), $"container's datagram counted: {_guard.ReadDropped()}");
        Assert.False(receiver.Poll(0, SelectMode.SelectRead), "a container's datagram reached the VXLAN port");
    }

    [PrivilegedFact]
    public void Ensure_Twice_KeepsCountersAndReplacesVteps()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        SendFrom(_fabric.Stranger, GuardFabric.Guarded4, "counted");
        Assert.True(GuardFabric.Eventually(() => _guard.ReadDropped()!.Packets == 1));

        _guard.Ensure(Port, [GuardFabric.Peer4, IPAddress.Parse("10.99.0.77")]);

        Assert.Equal(1UL, _guard.ReadDropped()!.Packets);
        Assert.Contains("elements = { 10.99.0.2, 10.99.0.77 }", _fabric.ListGuard(VxlanGuardTable.Ipv4SetName), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Ensure_NftListsOurTableWithMarkerChainAndRules()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4, GuardFabric.Peer6]);

        var listed = _fabric.ListGuard();

        Assert.Contains("comment \"dnp vxlan guard v1 owner=host-a port=4789\"", listed, StringComparison.Ordinal);
        Assert.Contains("type filter hook input priority -200; policy accept;", listed, StringComparison.Ordinal);
        Assert.Contains("udp dport 4789 ip saddr != @vteps4 counter packets 0 bytes 0 drop comment \"dnp: vxlan from a non-VTEP ipv4 source\"", listed, StringComparison.Ordinal);
        Assert.Contains("udp dport 4789 ip6 saddr != @vteps6 counter packets 0 bytes 0 drop comment \"dnp: vxlan from a non-VTEP ipv6 source\"", listed, StringComparison.Ordinal);
        Assert.Contains("elements = { 10.99.0.2 }", listed, StringComparison.Ordinal);
        Assert.Contains("elements = { fd99::2 }", listed, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Ensure_OtherPort_RebuildsForTheNewPort()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);

        _guard.Ensure(8472, [GuardFabric.Peer4]);

        var listed = _fabric.ListGuard();
        Assert.Contains("port=8472", listed, StringComparison.Ordinal);
        Assert.Contains("udp dport 8472 ip saddr", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("4789", listed, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Ensure_RuleDeletedByHand_IsRepaired()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        _fabric.NftTool("flush", "chain", "inet", VxlanGuardTable.DefaultTableName, VxlanGuardTable.ChainName);

        _guard.Ensure(Port, [GuardFabric.Peer4]);

        Assert.Equal(2, _fabric.Nft.RuleList(NftFamily.Inet, VxlanGuardTable.DefaultTableName, VxlanGuardTable.ChainName).Count);
    }

    [PrivilegedFact]
    public void Ensure_ChainDeletedByHand_IsRebuilt()
    {
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        _fabric.NftTool("flush", "chain", "inet", VxlanGuardTable.DefaultTableName, VxlanGuardTable.ChainName);
        _fabric.NftTool("delete", "chain", "inet", VxlanGuardTable.DefaultTableName, VxlanGuardTable.ChainName);

        _guard.Ensure(Port, [GuardFabric.Peer4]);

        Assert.Contains("type filter hook input priority -200; policy accept;", _fabric.ListGuard(), StringComparison.Ordinal);
        Assert.Equal(2, _fabric.Nft.RuleList(NftFamily.Inet, VxlanGuardTable.DefaultTableName, VxlanGuardTable.ChainName).Count);
    }

    [PrivilegedFact]
    public void Remove_Ours_LeavesOtherOwnersTablesIntact()
    {
        _fabric.NftTool("add", "table", "ip", "docker_standin");
        _fabric.NftTool("add", "chain", "ip", "docker_standin", "INPUT", "{ type filter hook input priority 0; policy accept; }");
        _fabric.NftTool("add", "rule", "ip", "docker_standin", "INPUT", "udp", "dport", "4789", "counter", "accept");
        _guard.Ensure(Port, [GuardFabric.Peer4]);

        Assert.True(_guard.Remove());

        var tables = _fabric.NftTool("list", "tables");
        Assert.DoesNotContain(VxlanGuardTable.DefaultTableName, tables, StringComparison.Ordinal);
        Assert.Contains("table ip docker_standin", tables, StringComparison.Ordinal);
        Assert.Contains("udp dport 4789 counter", _fabric.NftTool("list", "table", "ip", "docker_standin"), StringComparison.Ordinal);
        Assert.Null(_guard.ReadDropped());
        Assert.False(_guard.Remove());
    }

    [PrivilegedFact]
    public void Ensure_BesideIptablesAcceptForTheVxlanPort_StrangerStillDropped_RemoveLeavesIptablesRules()
    {
        // Docker (and users) write iptables rules; an ACCEPT there does not override a drop in our table.
        Tool.Run("ip", "netns", "exec", _fabric.Guarded.Name, "iptables", "-A", "INPUT", "-p", "udp", "--dport", "4789", "-j", "ACCEPT");
        _guard.Ensure(Port, [GuardFabric.Peer4]);
        using var receiver = GuardFabric.Udp(_fabric.Guarded, AddressFamily.InterNetwork, Port);

        SendFrom(_fabric.Stranger, GuardFabric.Guarded4, "stranger");
        Assert.True(GuardFabric.Eventually(() => _guard.ReadDropped()!.Packets == 1));
        SendFrom(_fabric.Peer, GuardFabric.Guarded4, "peer");
        Assert.Equal(("peer", GuardFabric.Peer4), Receive(receiver));
        Assert.False(receiver.Poll(0, SelectMode.SelectRead));

        Assert.True(_guard.Remove());
        var rules = Tool.Run("ip", "netns", "exec", _fabric.Guarded.Name, "iptables", "-S", "INPUT");
        Assert.Contains("-A INPUT -p udp -m udp --dport 4789 -j ACCEPT", rules, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Remove_TableWithOurNameWithoutMarker_IsNeverDeleted()
    {
        _fabric.NftTool("add", "table", "inet", VxlanGuardTable.DefaultTableName);

        Assert.Throws<NftTableNotOursException>(() => _guard.Remove());
        Assert.Throws<NftTableNotOursException>(() => _guard.Ensure(Port, [GuardFabric.Peer4]));
        Assert.Throws<NftTableNotOursException>(() => _guard.UpdateVteps([GuardFabric.Peer4]));

        Assert.Contains($"table inet {VxlanGuardTable.DefaultTableName}", _fabric.NftTool("list", "tables"), StringComparison.Ordinal);
        Assert.DoesNotContain("chain", _fabric.ListGuard(), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Remove_TableOfAnotherOwner_IsNeverDeleted()
    {
        var other = new VxlanGuardTable(_fabric.Nft, "host-b");
        other.Ensure(Port, [GuardFabric.Peer4]);

        Assert.Throws<NftTableNotOursException>(() => _guard.Remove());

        Assert.Contains("owner=host-b", _fabric.ListGuard(), StringComparison.Ordinal);
        Assert.True(other.Remove());
    }

    [PrivilegedFact]
    public void UpdateVteps_TenThousandPeers_AllInTheSet()
    {
        _guard.Ensure(Port, []);
        var many = Enumerable.Range(0, 10_000).Select(i => new IPAddress([10, 100, (byte)(i >> 8), (byte)i])).ToList();
        many.AddRange(Enumerable.Range(0, 10_000).Select(i => IPAddress.Parse($"fd98::{i:x}")));

        _guard.UpdateVteps(many);

        var listed = _fabric.NftTool("-j", "list", "set", "inet", VxlanGuardTable.DefaultTableName, VxlanGuardTable.Ipv4SetName);
        Assert.Equal(10_000, listed.Split("\"10.100.", StringSplitOptions.None).Length - 1);
        var listed6 = _fabric.NftTool("-j", "list", "set", "inet", VxlanGuardTable.DefaultTableName, VxlanGuardTable.Ipv6SetName);
        Assert.Equal(10_000, listed6.Split("\"fd98::", StringSplitOptions.None).Length - 1);
    }

    [PrivilegedFact]
    public void UpdateVteps_Absent_ThrowsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => _guard.UpdateVteps([GuardFabric.Peer4]));

        Assert.True(e.IsNotFound);
    }

    private static void SendFrom(TestNamespace ns, IPAddress to, string text, int port = Port) => GuardFabric.SendUdp(ns, to, port, text);

    private static (string Text, IPAddress From) Receive(Socket socket) => GuardFabric.Receive(socket);
}
