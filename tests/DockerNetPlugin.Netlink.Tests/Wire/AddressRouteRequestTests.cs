using System.Net;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;
using static DockerNetPlugin.Netlink.Tests.Wire.Golden;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>Address and route requests against the iproute2 captures of netlink.md §3.</summary>
public sealed class AddressRouteRequestTests
{
    [Fact]
    public void WriteAddress_Ipv4Add_MatchesIpAddrAdd() => AssertBytes(
        """
        28 00 00 00 14 00 05 06 31 d3 02 6b 00 00 00 00
        02 18 00 00 02 00 00 00
        08 00 02 00 0a 00 00 01
        08 00 01 00 0a 00 00 01
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteAddress(ref w, 1795347249, Rtm.RTM_NEWADDR, Nlm.Create, 2, IPAddress.Parse("10.0.0.1"), 24));

    [Fact]
    public void WriteAddress_Ipv6Add_MatchesIpAddrAddNodad() => AssertBytes(
        """
        40 00 00 00 14 00 05 06 31 d3 02 6b 00 00 00 00
        0a 40 02 00 02 00 00 00
        14 00 02 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01
        14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteAddress(ref w, 1795347249, Rtm.RTM_NEWADDR, Nlm.Create, 2, IPAddress.Parse("fd00::1"), 64));

    [Fact]
    public void WriteAddress_Delete_MatchesIpAddrDel() => AssertBytes(
        """
        28 00 00 00 15 00 05 00 32 d3 02 6b 00 00 00 00
        02 18 00 00 02 00 00 00
        08 00 02 00 0a 00 01 01
        08 00 01 00 0a 00 01 01
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteAddress(ref w, 1795347250, Rtm.RTM_DELADDR, Nlm.Modify, 2, IPAddress.Parse("10.0.1.1"), 24));

    [Fact]
    public void WriteAddressDump_ByIndex_MatchesIpAddrShowDev() => AssertBytes(
        "18 00 00 00 16 00 01 03 16 d4 02 6b 00 00 00 00 02 00 00 00 02 00 00 00",
        (ref NetlinkWriter w) => RtnlHandle.WriteAddressDump(ref w, 1795347478, Af.AF_INET, 2));

    [Fact]
    public void WriteRoute_ViaAndDev_MatchesIpRouteAdd() => AssertBytes(
        """
        34 00 00 00 18 00 05 06 32 d3 02 6b 00 00 00 00
        02 10 00 00 fe 03 00 01 00 00 00 00
        08 00 01 00 0a 01 00 00
        08 00 05 00 0a 00 00 fe
        08 00 04 00 02 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteRoute(ref w, 1795347250, Rtm.RTM_NEWROUTE, Nlm.Create,
            new RouteSpec(IPNetwork.Parse("10.1.0.0/16"), IPAddress.Parse("10.0.0.254"), 2)));

    [Fact]
    public void WriteRoute_DevScopeLink_MatchesIpRouteAddScopeLink() => AssertBytes(
        """
        2c 00 00 00 18 00 05 06 33 d3 02 6b 00 00 00 00
        02 10 00 00 fe 03 fd 01 00 00 00 00
        08 00 01 00 0a 02 00 00
        08 00 04 00 02 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteRoute(ref w, 1795347251, Rtm.RTM_NEWROUTE, Nlm.Create,
            new RouteSpec(IPNetwork.Parse("10.2.0.0/16"), null, 2, RouteScope.Link)));

    [Fact]
    public void WriteRoute_Default_MatchesIpRouteAddDefault() => AssertBytes(
        """
        24 00 00 00 18 00 05 06 33 d3 02 6b 00 00 00 00
        02 00 00 00 fe 03 00 01 00 00 00 00
        08 00 05 00 0a 00 00 fe
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteRoute(ref w, 1795347251, Rtm.RTM_NEWROUTE, Nlm.Create,
            new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("10.0.0.254"))));

    [Fact]
    public void WriteRoute_Ipv6ViaDev_MatchesIp6RouteAdd() => AssertBytes(
        """
        4c 00 00 00 18 00 05 06 34 d3 02 6b 00 00 00 00
        0a 40 00 00 fe 03 00 01 00 00 00 00
        14 00 01 00 fd 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        14 00 05 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 fe
        08 00 04 00 02 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteRoute(ref w, 1795347252, Rtm.RTM_NEWROUTE, Nlm.Create,
            new RouteSpec(IPNetwork.Parse("fd01::/64"), IPAddress.Parse("fd00::fe"), 2)));

    [Fact]
    public void WriteRoute_Delete_MatchesIpRouteDel() => AssertBytes(
        """
        2c 00 00 00 19 00 05 00 34 d3 02 6b 00 00 00 00
        02 10 00 00 fe 00 ff 00 00 00 00 00
        08 00 01 00 0a 02 00 00
        08 00 04 00 02 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteRoute(ref w, 1795347252, Rtm.RTM_DELROUTE, Nlm.Modify,
            new RouteSpec(IPNetwork.Parse("10.2.0.0/16"), null, 2, RouteScope.Link)));

    [Fact]
    public void WriteRouteDump_MainTable_MatchesIpRouteShow() => AssertBytes(
        """
        24 00 00 00 1a 00 01 03 15 d4 02 6b 00 00 00 00
        02 00 00 00 00 00 00 00 00 00 00 00
        08 00 0f 00 fe 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteRouteDump(ref w, 1795347477, Af.AF_INET));
}
