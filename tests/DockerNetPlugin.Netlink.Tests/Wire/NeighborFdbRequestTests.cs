using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;
using static DockerNetPlugin.Netlink.Tests.Wire.Golden;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>ARP/ND and FDB requests against the iproute2 captures of netlink.md §4.</summary>
public sealed class NeighborFdbRequestTests
{
    private static readonly PhysicalAddress Mac5 = PhysicalAddress.Parse("02-42-0a-00-00-05");
    private static readonly PhysicalAddress Mac7 = PhysicalAddress.Parse("02-42-0a-00-00-07");
    private static readonly PhysicalAddress Zero = PhysicalAddress.Parse("00-00-00-00-00-00");

    [Fact]
    public void WriteNeighbor_Ipv4Add_MatchesIpNeighAddPermanent() => AssertBytes(
        """
        30 00 00 00 1c 00 05 06 42 d3 02 6b 00 00 00 00
        02 00 00 00 05 00 00 00 80 00 00 00
        08 00 01 00 0a 00 00 05
        0a 00 02 00 02 42 0a 00 00 05 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteNeighbor(ref w, 1795347266, Nlm.Create, new Neighbor(5, IPAddress.Parse("10.0.0.5"), Mac5)));

    [Fact]
    public void WriteNeighbor_Ipv6Add_MatchesIp6NeighAddPermanent() => AssertBytes(
        """
        3c 00 00 00 1c 00 05 06 44 d3 02 6b 00 00 00 00
        0a 00 00 00 05 00 00 00 80 00 00 00
        14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 05
        0a 00 02 00 02 42 0a 00 00 05 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteNeighbor(ref w, 1795347268, Nlm.Create, new Neighbor(5, IPAddress.Parse("fd00::5"), Mac5)));

    [Fact]
    public void WriteNeighborDelete_MatchesIpNeighDel() => AssertBytes(
        """
        24 00 00 00 1d 00 05 00 44 d3 02 6b 00 00 00 00
        02 00 00 00 05 00 00 00 80 00 00 00
        08 00 01 00 0a 00 00 06
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteNeighborDelete(ref w, 1795347268, 5, IPAddress.Parse("10.0.0.6")));

    [Fact]
    public void WriteNeighborDump_ByDevice_MatchesIpNeighShowDev() => AssertBytes(
        """
        24 00 00 00 1e 00 01 03 49 d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00
        08 00 08 00 05 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteNeighborDump(ref w, 1795347273, Af.AF_UNSPEC, 5));

    [Fact]
    public void WriteFdb_Add_MatchesBridgeFdbAddSelfPermanent() => AssertBytes(
        """
        30 00 00 00 1c 00 05 06 45 d3 02 6b 00 00 00 00
        07 00 00 00 05 00 00 00 c0 00 02 00
        0a 00 02 00 02 42 0a 00 00 05 |00 00
        08 00 01 00 c0 00 02 0a
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteFdb(ref w, 1795347269, Rtm.RTM_NEWNEIGH, Nlm.Create, new FdbEntry(5, Mac5, IPAddress.Parse("192.0.2.10"))));

    [Fact]
    public void WriteFdb_AppendFlood_MatchesBridgeFdbAppend() => AssertBytes(
        """
        30 00 00 00 1c 00 05 0c 46 d3 02 6b 00 00 00 00
        07 00 00 00 05 00 00 00 c0 00 02 00
        0a 00 02 00 00 00 00 00 00 00 |00 00
        08 00 01 00 c0 00 02 0a
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteFdb(ref w, 1795347270, Rtm.RTM_NEWNEIGH, Nlm.Append, new FdbEntry(5, Zero, IPAddress.Parse("192.0.2.10"))));

    [Fact]
    public void WriteFdb_WithVniAndPort_MatchesBridgeFdbAddVniPort() => AssertBytes(
        """
        40 00 00 00 1c 00 05 06 47 d3 02 6b 00 00 00 00
        07 00 00 00 05 00 00 00 c0 00 02 00
        0a 00 02 00 02 42 0a 00 00 07 |00 00
        08 00 01 00 c0 00 02 0c
        06 00 06 00 12 b5 |00 00
        08 00 07 00 2a 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteFdb(ref w, 1795347271, Rtm.RTM_NEWNEIGH, Nlm.Create, new FdbEntry(5, Mac7, IPAddress.Parse("192.0.2.12"), 42, 4789)));

    [Fact]
    public void WriteFdb_Replace_MatchesBridgeFdbReplace() => AssertBytes(
        """
        30 00 00 00 1c 00 05 05 47 d3 02 6b 00 00 00 00
        07 00 00 00 05 00 00 00 c0 00 02 00
        0a 00 02 00 02 42 0a 00 00 07 |00 00
        08 00 01 00 c0 00 02 0d
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteFdb(ref w, 1795347271, Rtm.RTM_NEWNEIGH, Nlm.Replace, new FdbEntry(5, Mac7, IPAddress.Parse("192.0.2.13"))));

    [Fact]
    public void WriteFdb_DeleteWithoutDst_MatchesBridgeFdbDel() => AssertBytes(
        """
        28 00 00 00 1d 00 05 00 48 d3 02 6b 00 00 00 00
        07 00 00 00 05 00 00 00 c0 00 02 00
        0a 00 02 00 02 42 0a 00 00 07 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteFdb(ref w, 1795347272, Rtm.RTM_DELNEIGH, Nlm.Modify, new FdbEntry(5, Mac7, null)));

    [Fact]
    public void WriteFdb_DeleteFloodRemote_MatchesBridgeFdbDelDst() => AssertBytes(
        """
        30 00 00 00 1d 00 05 00 48 d3 02 6b 00 00 00 00
        07 00 00 00 05 00 00 00 c0 00 02 00
        0a 00 02 00 00 00 00 00 00 00 |00 00
        08 00 01 00 c0 00 02 0b
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteFdb(ref w, 1795347272, Rtm.RTM_DELNEIGH, Nlm.Modify, new FdbEntry(5, Zero, IPAddress.Parse("192.0.2.11"))));

    [Fact]
    public void WriteFdbDump_ByDevice_MatchesBridgeFdbShowDev() => AssertBytes(
        "1c 00 00 00 1e 00 01 03 48 d3 02 6b 00 00 00 00 07 00 00 00 05 00 00 00 00 00 00 00",
        (ref NetlinkWriter w) => RtnlHandle.WriteFdbDump(ref w, 1795347272, 5));
}
