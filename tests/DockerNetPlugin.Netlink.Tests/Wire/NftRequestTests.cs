using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Nftables;
using DockerNetPlugin.Netlink.Wire;
using static DockerNetPlugin.Netlink.Tests.Wire.Golden;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>
/// nf_tables messages against what nft 1.0.6 sent for the same ruleset on Linux 6.18 (captured with
/// `strace -e trace=sendmsg -e write=all nft -f FILE`; replies with `-e read=all nft list chain`). The only deliberate difference is the header flags: we add NLM_F_ACK (0x004) to every message of a
/// transaction so a failure names its message, and NLM_F_CREATE to NEWTABLE, where nft sends REQUEST alone.
/// </summary>
public sealed class NftRequestTests
{
    [Fact]
    public void WriteBatchBegin_MatchesNft() => AssertBytes(
        """
        14 00 00 00 10 00 01 00 00 00 00 00 00 00 00 00
        00 00 00 0a
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteBatchBegin(ref w, 0, generation: null));

    [Fact]
    public void WriteBatchBegin_WithGeneration_CarriesGenId() => AssertBytes(
        """
        1c 00 00 00 10 00 01 00 00 00 00 00 00 00 00 00
        00 00 00 0a
        08 00 01 00 00 00 00 06
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteBatchBegin(ref w, 0, generation: 6));

    [Fact]
    public void WriteBatchEnd_MatchesNft() => AssertBytes(
        """
        14 00 00 00 11 00 01 00 09 00 00 00 00 00 00 00
        00 00 00 0a
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteBatchEnd(ref w, 9));

    [Fact]
    public void WriteNewTable_WithComment_MatchesNftTableComment() => AssertBytes(
        """
        2c 00 00 00 00 0a 05 04 01 00 00 00 00 00 00 00
        01 00 00 00
        06 00 01 00 74 00 |00 00
        08 00 02 00 00 00 00 00
        08 00 06 00 00 02 63 00
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewTable(ref w, 1, NftFamily.Inet, "t", "c"));

    [Fact]
    public void WriteNewBaseChain_InputPriorityMinus200_MatchesNft() => AssertBytes(
        """
        50 00 00 00 03 0a 05 04 02 00 00 00 00 00 00 00
        01 00 00 00
        06 00 01 00 74 00 |00 00
        0a 00 03 00 69 6e 70 75 74 00 |00 00
        0b 00 07 00 66 69 6c 74 65 72 00 |00
        08 00 05 00 00 00 00 01
        14 00 04 80 08 00 01 00 00 00 00 01 08 00 02 00 ff ff ff 38
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewBaseChain(ref w, 2, NftFamily.Inet, "t", "input", Nft.NF_INET_LOCAL_IN, -200));

    [Fact]
    public void WriteNewAddressSet_Ipv4_MatchesNft() => AssertBytes(
        """
        50 00 00 00 09 0a 05 04 03 00 00 00 00 00 00 00
        01 00 00 00
        06 00 01 00 74 00 |00 00
        07 00 02 00 73 34 00 |00
        08 00 03 00 00 00 00 00
        08 00 04 00 00 00 00 07
        08 00 05 00 00 00 00 04
        08 00 0a 00 00 00 00 01
        0a 00 0d 00 00 04 02 00 00 00 |00 00
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewAddressSet(ref w, 3, NftFamily.Inet, "t", "s4", 1, AddressFamily.InterNetwork));

    [Fact]
    public void WriteNewAddressSet_Ipv6_MatchesNft() => AssertBytes(
        """
        50 00 00 00 09 0a 05 04 04 00 00 00 00 00 00 00
        01 00 00 00
        06 00 01 00 74 00 |00 00
        07 00 02 00 73 36 00 |00
        08 00 03 00 00 00 00 00
        08 00 04 00 00 00 00 08
        08 00 05 00 00 00 00 10
        08 00 0a 00 00 00 00 02
        0a 00 0d 00 00 04 02 00 00 00 |00 00
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewAddressSet(ref w, 4, NftFamily.Inet, "t", "s6", 2, AddressFamily.InterNetworkV6));

    [Fact]
    public void WriteNewRule_GuardDropRule_MatchesNftUdpDportSaddrNotInSetCounterDrop() => AssertBytes(
        """
        e4 01 00 00 06 0a 05 0c 05 00 00 00 00 00 00 00
        01 00 00 00 06 00 01 00 74 00 00 00 0a 00 02 00
        69 6e 70 75 74 00 00 00 b0 01 04 80 24 00 01 80
        09 00 01 00 6d 65 74 61 00 00 00 00 14 00 02 80
        08 00 02 00 00 00 00 10 08 00 01 00 00 00 00 01
        2c 00 01 80 08 00 01 00 63 6d 70 00 20 00 02 80
        08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 00
        0c 00 03 80 05 00 01 00 11 00 00 00 34 00 01 80
        0c 00 01 00 70 61 79 6c 6f 61 64 00 24 00 02 80
        08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 02
        08 00 03 00 00 00 00 02 08 00 04 00 00 00 00 02
        2c 00 01 80 08 00 01 00 63 6d 70 00 20 00 02 80
        08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 00
        0c 00 03 80 06 00 01 00 12 b5 00 00 24 00 01 80
        09 00 01 00 6d 65 74 61 00 00 00 00 14 00 02 80
        08 00 02 00 00 00 00 0f 08 00 01 00 00 00 00 01
        2c 00 01 80 08 00 01 00 63 6d 70 00 20 00 02 80
        08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 00
        0c 00 03 80 05 00 01 00 02 00 00 00 34 00 01 80
        0c 00 01 00 70 61 79 6c 6f 61 64 00 24 00 02 80
        08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 01
        08 00 03 00 00 00 00 0c 08 00 04 00 00 00 00 04
        34 00 01 80 0b 00 01 00 6c 6f 6f 6b 75 70 00 00
        24 00 02 80 08 00 02 00 00 00 00 01 07 00 01 00
        73 34 00 00 08 00 04 00 00 00 00 01 08 00 05 00
        00 00 00 01 14 00 01 80 0c 00 01 00 63 6f 75 6e
        74 65 72 00 04 00 02 80 30 00 01 80 0e 00 01 00
        69 6d 6d 65 64 69 61 74 65 00 00 00 1c 00 02 80
        08 00 01 00 00 00 00 00 10 00 02 80 0c 00 02 80
        08 00 01 00 00 00 00 00 09 00 07 00 00 03 76 34
        00 00 00 00
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewRule(
            ref w, 5, NftFamily.Inet, "t", "input", VxlanGuardPlan.DropRule(4789, Nft.NFPROTO_IPV4, 12, 4, "s4", 1), "v4"));

    [Fact]
    public void WriteNewElements_Ipv4InSameTransaction_MatchesNftAddElement() => AssertBytes(
        """
        40 00 00 00 0c 0a 05 04 06 00 00 00 00 00 00 00
        01 00 00 00 06 00 01 00 74 00 00 00 07 00 02 00
        73 34 00 00 08 00 04 00 00 00 00 01 14 00 03 80
        10 00 01 80 0c 00 01 80 08 00 01 00 0a 00 00 01
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewElements(ref w, 6, NftFamily.Inet, "t", "s4", 1, [IPAddress.Parse("10.0.0.1")]));

    [Fact]
    public void WriteNewElements_Ipv6_MatchesNftAddElement() => AssertBytes(
        """
        4c 00 00 00 0c 0a 05 04 07 00 00 00 00 00 00 00
        01 00 00 00 06 00 01 00 74 00 00 00 07 00 02 00
        73 36 00 00 08 00 04 00 00 00 00 02 20 00 03 80
        1c 00 01 80 18 00 01 80 14 00 01 00 fd 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 01
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteNewElements(ref w, 7, NftFamily.Inet, "t", "s6", 2, [IPAddress.Parse("fd00::1")]));

    [Fact]
    public void WriteFlushSet_MatchesNftFlushSet() => AssertBytes(
        """
        24 00 00 00 0e 0a 05 00 08 00 00 00 00 00 00 00
        01 00 00 00 07 00 02 00 73 34 00 00 06 00 01 00
        74 00 00 00
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteFlushSet(ref w, 8, NftFamily.Inet, "t", "s4"));

    [Fact]
    public void WriteDeleteTable_ByHandle_NamesExactlyThatTable() => AssertBytes(
        """
        20 00 00 00 02 0a 05 00 09 00 00 00 00 00 00 00
        01 00 00 00
        0c 00 04 00 00 00 00 00 00 00 00 03
        """,
        (ref NetlinkWriter w) => NftTransaction.WriteDeleteTable(ref w, 9, NftFamily.Inet, 3));

    [Fact]
    public void WriteTableGet_ByName_MatchesNftListTableWithoutAck() => AssertBytes(
        """
        1c 00 00 00 01 0a 01 00 00 00 00 00 00 00 00 00
        01 00 00 00 06 00 01 00 74 00 |00 00
        """,
        (ref NetlinkWriter w) => NftHandle.WriteTableGet(ref w, 0, NftFamily.Inet, "t"));

    [Fact]
    public void WriteRuleDump_TableAndChain_MatchesNftListChain() => AssertBytes(
        """
        28 00 00 00 07 0a 01 03 00 00 00 00 00 00 00 00
        01 00 00 00 06 00 01 00 74 00 |00 00 0a 00 02 00
        69 6e 70 75 74 00 |00 00
        """,
        (ref NetlinkWriter w) => NftHandle.WriteRuleDump(ref w, 0, NftFamily.Inet, "t", "input"));

    [Fact]
    public void WriteGenerationGet_AsksForTheRulesetGeneration() => AssertBytes(
        """
        14 00 00 00 10 0a 01 00 00 00 00 00 00 00 00 00
        00 00 00 00
        """,
        (ref NetlinkWriter w) => NftHandle.WriteGenerationGet(ref w, 0));

    [Fact]
    public void ParseTable_KernelReply_ReadsNameHandleAndComment()
    {
        var reply = Hex("""
            40 00 00 00 00 0a 00 00 00 00 00 00 b5 4e 00 00
            01 00 00 06 06 00 01 00 74 00 00 00 08 00 03 00
            00 00 00 01 0c 00 04 00 00 00 00 00 00 00 00 03
            08 00 02 00 00 00 00 00 08 00 06 00 00 02 63 00
            """);

        Assert.True(NftHandle.ParseTable(new NetlinkMessage(reply), out var table));

        Assert.Equal(new NftTable(NftFamily.Inet, "t", 3, "c"), table);
    }

    [Fact]
    public void ParseRule_KernelDumpWithCounter_ReadsHandleCommentAndCounter()
    {
        var reply = Hex("""
            50 01 00 00 06 0a 02 08 00 00 00 00 b5 4e 00 00
            01 00 00 06 06 00 01 00 74 00 00 00 0a 00 02 00
            69 6e 70 75 74 00 00 00 0c 00 03 00 00 00 00 00
            00 00 00 02 10 01 04 00 24 00 01 00 09 00 01 00
            6d 65 74 61 00 00 00 00 14 00 02 00 08 00 02 00
            00 00 00 10 08 00 01 00 00 00 00 01 2c 00 01 00
            08 00 01 00 63 6d 70 00 20 00 02 00 08 00 01 00
            00 00 00 01 08 00 02 00 00 00 00 00 0c 00 03 00
            05 00 01 00 11 00 00 00 34 00 01 00 0c 00 01 00
            70 61 79 6c 6f 61 64 00 24 00 02 00 08 00 01 00
            00 00 00 01 08 00 02 00 00 00 00 02 08 00 03 00
            00 00 00 02 08 00 04 00 00 00 00 02 2c 00 01 00
            08 00 01 00 63 6d 70 00 20 00 02 00 08 00 01 00
            00 00 00 01 08 00 02 00 00 00 00 00 0c 00 03 00
            06 00 01 00 12 b5 00 00 2c 00 01 00 0c 00 01 00
            63 6f 75 6e 74 65 72 00 1c 00 02 00 0c 00 01 00
            00 00 00 00 00 00 01 2c 0c 00 02 00 00 00 00 00
            00 00 00 05 30 00 01 00 0e 00 01 00 69 6d 6d 65
            64 69 61 74 65 00 00 00 1c 00 02 00 08 00 01 00
            00 00 00 00 10 00 02 00 0c 00 02 00 08 00 01 00
            00 00 00 00 09 00 07 00 00 03 76 34 00 00 00 00
            """);

        Assert.True(NftHandle.ParseRule(new NetlinkMessage(reply), "t", "input", out var rule));
        Assert.False(NftHandle.ParseRule(new NetlinkMessage(reply), "t", "output", out _));

        Assert.Equal(new NftRuleInfo(2, "v4", 5, 300), rule);
    }
}
