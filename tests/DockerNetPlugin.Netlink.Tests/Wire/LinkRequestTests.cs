using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;
using static DockerNetPlugin.Netlink.Tests.Wire.Golden;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>Link requests byte for byte against the iproute2 captures of netlink.md §1.5 and §2.3.</summary>
public sealed class LinkRequestTests
{
    [Fact]
    public void WriteBridgeAdd_NameOnly_MatchesIpLinkAddBridge() => AssertBytes(
        """
        38 00 00 00 10 00 05 06 11 d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        08 00 03 00 62 72 30 00
        10 00 12 00
          0a 00 01 00 62 72 69 64 67 65 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteBridgeAdd(ref w, 1795347217, "br0", null, null));

    [Fact]
    public void WriteBridgeAdd_MtuAndMac_MatchesIpLinkAddBridgeWithMtuAddress() => AssertBytes(
        """
        4c 00 00 00 10 00 05 06 10 d4 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        08 00 04 00 aa 05 00 00
        0a 00 01 00 02 42 0a 00 00 99 |00 00
        08 00 03 00 62 72 32 00
        10 00 12 00
          0a 00 01 00 62 72 69 64 67 65 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteBridgeAdd(ref w, 1795347472, "br2", 1450, PhysicalAddress.Parse("02-42-0a-00-00-99")));

    [Fact]
    public void WriteVethAdd_SameNamespace_MatchesIpLinkAddVeth() => AssertBytes(
        """
        5c 00 00 00 10 00 05 06 12 d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        0a 00 03 00 76 65 74 68 30 00 |00 00
        30 00 12 00
          08 00 01 00 76 65 74 68
          24 00 02 00
            20 00 01 00
              00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
              0a 00 03 00 76 65 74 68 31 00 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteVethAdd(ref w, 1795347218, "veth0", "veth1", null, null, null, null));

    [Fact]
    public void WriteVethAdd_PeerInNamespace_MatchesIpLinkAddVethPeerNetns() => AssertBytes(
        """
        64 00 00 00 10 00 05 06 22 d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        0a 00 03 00 76 65 74 68 32 00 |00 00
        38 00 12 00
          08 00 01 00 76 65 74 68
          2c 00 02 00
            28 00 01 00
              00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
              08 00 1c 00 04 00 00 00
              0a 00 03 00 76 65 74 68 33 00 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteVethAdd(ref w, 1795347234, "veth2", "veth3", null, null, null, 4));

    [Fact]
    public void WriteVxlanAdd_AllMissFlagsTtlAgeingCsum_MatchesIpLinkAddVxlan() => AssertBytes(
        """
        88 00 00 00 10 00 05 06 13 d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        0b 00 03 00 76 78 6c 61 6e 30 00 |00
        5c 00 12 00
          09 00 01 00 76 78 6c 61 6e |00 00 00
          4c 00 02 00
            05 00 0b 00 01 |00 00 00
            05 00 0d 00 01 |00 00 00
            05 00 0e 00 01 |00 00 00
            05 00 05 00 40 |00 00 00
            08 00 08 00 2c 01 00 00
            05 00 12 00 01 |00 00 00
            08 00 01 00 2a 00 00 00
            05 00 07 00 00 |00 00 00
            06 00 0f 00 12 b5 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteVxlanAdd(ref w, 1795347219, new VxlanSpec("vxlan0", 42, Ttl: 64, AgeingSeconds: 300, UdpChecksum: true)));

    [Fact]
    public void WriteVxlanAdd_LocalDevLearning_MatchesIpLinkAddVxlanLocalDev() => AssertBytes(
        """
        68 00 00 00 10 00 05 06 23 d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        0b 00 03 00 76 78 6c 61 6e 31 00 |00
        3c 00 12 00
          09 00 01 00 76 78 6c 61 6e |00 00 00
          2c 00 02 00
            08 00 03 00 08 00 00 00
            08 00 01 00 2b 00 00 00
            08 00 04 00 0a 63 00 01
            05 00 07 00 01 |00 00 00
            06 00 0f 00 12 b5 |00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteVxlanAdd(ref w, 1795347235, new VxlanSpec(
            "vxlan1", 43, Learning: true, Proxy: false, L2Miss: false, L3Miss: false, Local: IPAddress.Parse("10.99.0.1"), UnderlayIndex: 8)));

    [Fact]
    public void WriteLinkGetByName_MatchesIpLookup() => AssertBytes(
        """
        30 00 00 00 12 00 01 00 1e d3 02 6b 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        08 00 1d 00 09 00 00 00
        08 00 03 00 62 72 30 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteLinkGetByName(ref w, 1795347230, "br0"));

    [Fact]
    public void WriteLinkDump_MatchesIpLinkShow() => AssertBytes(
        """
        28 00 00 00 12 00 01 03 30 d3 02 6b 00 00 00 00
        11 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        08 00 1d 00 01 00 00 00
        """,
        (ref NetlinkWriter w) => RtnlHandle.WriteLinkDump(ref w, 1795347248));

    [Fact]
    public void BeginLinkSet_Up_MatchesIpLinkSetUp() => AssertBytes(
        """
        20 00 00 00 10 00 05 00 1e d3 02 6b 00 00 00 00
        00 00 00 00 02 00 00 00 01 00 00 00 01 00 00 00
        """,
        (ref NetlinkWriter w) =>
        {
            RtnlHandle.BeginLinkSet(ref w, 1795347230, 2, 1, 1);
            w.EndMessage();
        });

    [Fact]
    public void BeginLinkSet_Down_MatchesIpLinkSetDown() => AssertBytes(
        """
        20 00 00 00 10 00 05 00 23 d3 02 6b 00 00 00 00
        00 00 00 00 04 00 00 00 00 00 00 00 01 00 00 00
        """,
        (ref NetlinkWriter w) =>
        {
            RtnlHandle.BeginLinkSet(ref w, 1795347235, 4, 0, 1);
            w.EndMessage();
        });

    [Theory]
    [InlineData(10, 2u, "28 00 00 00 10 00 05 00 1f d3 02 6b 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00 08 00 0a 00 02 00 00 00")]
    [InlineData(4, 1450u, "28 00 00 00 10 00 05 00 1f d3 02 6b 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00 08 00 04 00 aa 05 00 00")]
    [InlineData(28, 4u, "28 00 00 00 10 00 05 00 1f d3 02 6b 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00 08 00 1c 00 04 00 00 00")]
    public void BeginLinkSet_U32Attribute_MatchesIpLinkSetMasterMtuNetns(ushort attribute, uint value, string expected) => AssertBytes(
        expected,
        (ref NetlinkWriter w) =>
        {
            RtnlHandle.BeginLinkSet(ref w, 1795347231, 4);
            w.PutU32(attribute, value);
            w.EndMessage();
        });

    [Fact]
    public void BeginLinkSet_Name_MatchesIpLinkSetName() => AssertBytes(
        """
        2c 00 00 00 10 00 05 00 20 d3 02 6b 00 00 00 00
        00 00 00 00 03 00 00 00 00 00 00 00 00 00 00 00
        09 00 03 00 65 74 68 39 00 |00 00 00
        """,
        (ref NetlinkWriter w) =>
        {
            RtnlHandle.BeginLinkSet(ref w, 1795347232, 3);
            w.PutString(Ifla.IFLA_IFNAME, "eth9");
            w.EndMessage();
        });

    [Fact]
    public void BeginLinkSet_Mac_MatchesIpLinkSetAddress() => AssertBytes(
        """
        2c 00 00 00 10 00 05 00 20 d3 02 6b 00 00 00 00
        00 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00
        0a 00 01 00 02 42 0a 00 00 02 |00 00
        """,
        (ref NetlinkWriter w) =>
        {
            RtnlHandle.BeginLinkSet(ref w, 1795347232, 4);
            w.PutMac(Ifla.IFLA_ADDRESS, PhysicalAddress.Parse("02-42-0a-00-00-02"));
            w.EndMessage();
        });

    [Fact]
    public void WriteLinkDelete_MatchesIpLinkDel() => AssertBytes(
        "20 00 00 00 11 00 05 00 24 d3 02 6b 00 00 00 00 00 00 00 00 09 00 00 00 00 00 00 00 00 00 00 00",
        (ref NetlinkWriter w) => RtnlHandle.WriteLinkDelete(ref w, 1795347236, 9));
}
