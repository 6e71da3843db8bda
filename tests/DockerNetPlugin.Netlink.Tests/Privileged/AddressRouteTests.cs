using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class AddressRouteTests : NamespaceTest
{
    private readonly int _bridge;

    public AddressRouteTests()
        : base("addr")
    {
        _bridge = Rtnl.BridgeAdd("br0");
        Rtnl.LinkSetUp(_bridge);
    }

    [PrivilegedFact]
    public void AddressAdd_Ipv4AndIpv6_KernelShowsBoth()
    {
        Rtnl.AddressAdd(_bridge, IPAddress.Parse("10.0.0.1"), 24);
        Rtnl.AddressAdd(_bridge, IPAddress.Parse("fd00::1"), 64);

        var shown = Tool.Ip(Ns, "addr", "show", "dev", "br0");
        Assert.Contains("inet 10.0.0.1/24", shown, StringComparison.Ordinal);
        Assert.Contains("inet6 fd00::1/64", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("tentative", shown.Split('\n').Single(l => l.Contains("fd00::1", StringComparison.Ordinal)), StringComparison.Ordinal);
        var listed = Rtnl.AddressList(_bridge);
        Assert.Contains(new AddressInfo(_bridge, IPAddress.Parse("10.0.0.1"), 24), listed);
        Assert.Contains(new AddressInfo(_bridge, IPAddress.Parse("fd00::1"), 64), listed);
    }

    [PrivilegedFact]
    public void AddressReplaceAndDelete_Existing_KernelShowsItGone()
    {
        Rtnl.AddressAdd(_bridge, IPAddress.Parse("10.0.1.1"), 24);
        Rtnl.AddressReplace(_bridge, IPAddress.Parse("10.0.1.1"), 24);

        Rtnl.AddressDelete(_bridge, IPAddress.Parse("10.0.1.1"), 24);

        Assert.DoesNotContain("10.0.1.1", Tool.Ip(Ns, "addr", "show", "dev", "br0"), StringComparison.Ordinal);
        Assert.DoesNotContain(Rtnl.AddressList(_bridge), a => a.Ip.Equals(IPAddress.Parse("10.0.1.1")));
    }

    [PrivilegedFact]
    public void AddressDelete_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => Rtnl.AddressDelete(_bridge, IPAddress.Parse("10.9.9.9"), 24));

        Assert.True(e.IsNotFound);
    }

    [PrivilegedFact]
    public void AddressAdd_Twice_ThrowsAlreadyExists()
    {
        Rtnl.AddressAdd(_bridge, IPAddress.Parse("10.0.2.1"), 24);

        Assert.True(Assert.Throws<NetlinkException>(() => Rtnl.AddressAdd(_bridge, IPAddress.Parse("10.0.2.1"), 24)).IsAlreadyExists);
    }

    [PrivilegedFact]
    public void RouteAddReplaceDelete_ViaGatewayAndScopeLink_KernelShowsRoutes()
    {
        Rtnl.AddressAdd(_bridge, IPAddress.Parse("10.0.0.1"), 24);
        var via = new RouteSpec(IPNetwork.Parse("10.1.0.0/16"), IPAddress.Parse("10.0.0.254"), _bridge);
        var link = new RouteSpec(IPNetwork.Parse("10.2.0.0/16"), null, _bridge, RouteScope.Link);
        var defaultRoute = new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("10.0.0.254"));

        Rtnl.RouteAdd(via);
        Rtnl.RouteAdd(link);
        Rtnl.RouteReplace(defaultRoute);

        var shown = Tool.Ip(Ns, "route", "show");
        Assert.Contains("10.1.0.0/16 via 10.0.0.254 dev br0", shown, StringComparison.Ordinal);
        Assert.Contains("10.2.0.0/16 dev br0 scope link", shown, StringComparison.Ordinal);
        Assert.Contains("default via 10.0.0.254 dev br0", shown, StringComparison.Ordinal);
        var listed = Rtnl.RouteList(AddressFamily.InterNetwork);
        Assert.Contains(via, listed);
        Assert.Contains(link, listed);
        Assert.Contains(defaultRoute with { LinkIndex = _bridge }, listed);

        Rtnl.RouteDelete(link);

        Assert.DoesNotContain("10.2.0.0/16", Tool.Ip(Ns, "route", "show"), StringComparison.Ordinal);
        Assert.True(Assert.Throws<NetlinkException>(() => Rtnl.RouteDelete(link)).IsNotFound);
    }

    [PrivilegedFact]
    public void RouteAdd_Ipv6ViaGateway_KernelShowsRoute()
    {
        Rtnl.AddressAdd(_bridge, IPAddress.Parse("fd00::1"), 64);

        Rtnl.RouteAdd(new RouteSpec(IPNetwork.Parse("fd01::/64"), IPAddress.Parse("fd00::fe"), _bridge));

        Assert.Contains("fd01::/64 via fd00::fe dev br0", Tool.Ip(Ns, "-6", "route", "show"), StringComparison.Ordinal);
        Assert.Contains(Rtnl.RouteList(AddressFamily.InterNetworkV6), r => r.Destination == IPNetwork.Parse("fd01::/64"));
    }
}
