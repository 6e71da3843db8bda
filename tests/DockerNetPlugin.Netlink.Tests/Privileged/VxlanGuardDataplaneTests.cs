using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>
/// Real VXLAN through the guard: the guarded namespace has vxlan0 (VNI 42) on bridge ovl0 with a "container" namespace
/// behind it; the peer and a stranger each build their own VTEP with the same VNI and send to the container.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class VxlanGuardDataplaneTests : IDisposable
{
    private const uint Vni = 42;
    private const int AppPort = 7777;
    private static readonly IPAddress ContainerIp = IPAddress.Parse("192.168.77.2");
    private static readonly PhysicalAddress ContainerMac = PhysicalAddress.Parse("02-00-00-00-77-02");

    private readonly GuardFabric _fabric = new();
    private readonly TestNamespace _container;
    private readonly VxlanGuardTable _guard;

    public VxlanGuardDataplaneTests()
    {
        try
        {
            _container = new TestNamespace("ctr");
            var g = _fabric.Guarded.Rtnl;
            var bridge = g.BridgeAdd("ovl0");
            var vxlan = g.VxlanAdd(new VxlanSpec("vxlan0", Vni, Learning: true, Proxy: false, L2Miss: false, L3Miss: false, Local: GuardFabric.Guarded4));
            g.LinkSetMaster(vxlan, bridge);
            var (port, _) = g.VethAdd("gctr", "eth0", peerMac: ContainerMac, peerNamespace: _container.Ns);
            g.LinkSetMaster(port, bridge);
            foreach (var index in new[] { bridge, vxlan, port })
            {
                g.LinkSetUp(index);
            }

            var eth0 = _container.Rtnl.LinkByName("eth0")!.Index;
            _container.Rtnl.AddressAdd(eth0, ContainerIp, 24);
            _container.Rtnl.LinkSetUp(eth0);
            RemoteVtep(_fabric.Peer, GuardFabric.Peer4, IPAddress.Parse("192.168.77.8"));
            RemoteVtep(_fabric.Stranger, GuardFabric.Stranger4, IPAddress.Parse("192.168.77.9"));
            _guard = new VxlanGuardTable(_fabric.Nft, "host-a");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _container?.Dispose();
        _fabric.Dispose();
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void Guard_StrangerVtepWithRightVni_FramesNeverReachTheContainer_UntilGuardRemoved()
    {
        _guard.Ensure(4789, [GuardFabric.Peer4]);
        using var app = GuardFabric.Udp(_container, AddressFamily.InterNetwork, AppPort);

        SendOverlay(_fabric.Stranger, "injected");
        Assert.True(GuardFabric.Eventually(() => _guard.ReadDropped()!.Ipv4Packets >= 1), $"stranger's VXLAN counted: {_guard.ReadDropped()}");
        SendOverlay(_fabric.Peer, "from peer");

        Assert.Equal(("from peer", IPAddress.Parse("192.168.77.8")), Receive(app));
        Assert.False(app.Poll(0, SelectMode.SelectRead), "a stranger's frame reached the container");

        Assert.True(_guard.Remove());
        SendOverlay(_fabric.Stranger, "unguarded");
        Assert.Equal(("unguarded", IPAddress.Parse("192.168.77.9")), Receive(app));
    }

    private static void RemoteVtep(TestNamespace ns, IPAddress underlay, IPAddress overlay)
    {
        var vxlan = ns.Rtnl.VxlanAdd(new VxlanSpec("vxlan0", Vni, Proxy: false, L2Miss: false, L3Miss: false, Local: underlay));
        ns.Rtnl.AddressAdd(vxlan, overlay, 24);
        ns.Rtnl.LinkSetUp(vxlan);
        ns.Rtnl.FdbAppend(new FdbEntry(vxlan, PhysicalAddress.Parse("00-00-00-00-00-00"), GuardFabric.Guarded4));
        ns.Rtnl.NeighborReplace(new Neighbor(vxlan, ContainerIp, ContainerMac));
    }

    private static void SendOverlay(TestNamespace from, string text) => GuardFabric.SendUdp(from, ContainerIp, AppPort, text);

    private static (string Text, IPAddress From) Receive(Socket socket) => GuardFabric.Receive(socket);
}
