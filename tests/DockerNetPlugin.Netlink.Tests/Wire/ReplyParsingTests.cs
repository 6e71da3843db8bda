using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;
using static DockerNetPlugin.Netlink.Tests.Wire.Golden;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>Kernel replies and notifications captured in netlink.md, parsed into our records.</summary>
public sealed class ReplyParsingTests
{
    [Fact]
    public void ParseError_ExtendedAckUncapped_ReturnsErrnoAndKernelText()
    {
        var bytes = Hex("""
            a8 00 00 00 02 00 00 02 30 d3 02 6b f2 30 00 00
            ef ff ff ff
            58 00 00 00 10 00 05 06 30 d3 02 6b 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            0b 00 03 00 76 78 6c 61 6e 39 00 00 2c 00 12 00
            09 00 01 00 76 78 6c 61 6e 00 00 00 1c 00 02 00
            08 00 01 00 2a 00 00 00 05 00 07 00 01 00 00 00
            06 00 0f 00 12 b5 00 00
            39 00 01 00 41 20 56 58 4c 41 4e 20 64 65 76 69
            63 65 20 77 69 74 68 20 74 68 65 20 73 70 65 63
            69 66 69 65 64 20 56 4e 49 20 61 6c 72 65 61 64
            79 20 65 78 69 73 74 73 00 |00 00 00
            """);

        var error = NetlinkSocket.ParseError(new NetlinkMessage(bytes), out var text);

        Assert.Equal(-17, error);
        Assert.Equal("A VXLAN device with the specified VNI already exists", text);
    }

    [Fact]
    public void ParseError_PlainError_ReturnsErrnoWithoutText()
    {
        var bytes = Hex("""
            4c 00 00 00 02 00 00 00 30 d3 02 6b 25 31 00 00
            ef ff ff ff
            38 00 00 00 10 00 05 06 30 d3 02 6b 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            08 00 03 00 62 72 30 00 10 00 12 00 0a 00 01 00
            62 72 69 64 67 65 00 00
            """);

        Assert.Equal(-17, NetlinkSocket.ParseError(new NetlinkMessage(bytes), out var text));
        Assert.Null(text);
    }

    [Fact]
    public void ParseError_CappedAck_ReturnsZero()
    {
        var bytes = Hex("""
            24 00 00 00 02 00 00 01 11 d3 02 6b dc 29 00 00
            00 00 00 00
            38 00 00 00 10 00 05 06 11 d3 02 6b 00 00 00 00
            """);

        Assert.Equal(0, NetlinkSocket.ParseError(new NetlinkMessage(bytes), out _));
    }

    [Fact]
    public void NetlinkException_KernelText_FormatsOperationErrnoAndText()
    {
        var e = new NetlinkException("RTM_NEWLINK vxlan 'vx-001000-abcde'", 17, "A VXLAN device with the specified VNI already exists");

        Assert.Equal("RTM_NEWLINK vxlan 'vx-001000-abcde': File exists (EEXIST): A VXLAN device with the specified VNI already exists", e.Message);
        Assert.True(e.IsAlreadyExists);
        Assert.False(e.IsNotFound);
    }

    [Fact]
    public void ParseLink_VethInOtherNamespace_ReadsIndexPeerAndNsid()
    {
        var bytes = Message("""
            d4 05 00 00 10 00 00 00 23 d3 02 6b 60 90 43 de
            00 00 01 00 04 00 00 00 02 10 00 00 00 00 00 00
            0a 00 03 00 76 65 74 68 30 00 |00 00
            05 00 10 00 02 |00 00 00
            08 00 04 00 aa 05 00 00
            08 00 0a 00 02 00 00 00
            0a 00 01 00 02 42 0a 00 00 02 |00 00
            20 00 12 80
              09 00 01 00 76 65 74 68 00 |00 00 00
              0b 00 04 00 62 72 69 64 67 65 00 |00
              04 00 3e 80
            08 00 25 00 00 00 00 00
            08 00 05 00 03 00 00 00
            """);

        Assert.True(RtnlHandle.ParseLink(new NetlinkMessage(bytes), out var link));

        Assert.Equal(new LinkInfo(4, "veth0", "veth", 1450, PhysicalAddress.Parse("02-42-0a-00-00-02"), 2, false, 2, 3, 0, null), link);
    }

    [Fact]
    public void ParseFdb_SelfEntry_ReadsMacAndVtep()
    {
        var bytes = Hex("""
            44 00 00 00 1c 00 02 00 48 d3 02 6b f7 37 00 00
            07 00 00 00 05 00 00 00 c0 00 02 01
            0a 00 02 00 00 00 00 00 00 00 |00 00
            08 00 01 00 c0 00 02 0a
            14 00 03 00 00 00 00 00 20 01 00 00 e2 00 00 00 00 00 00 00
            """);

        Assert.True(RtnlHandle.ParseFdb(new NetlinkMessage(bytes), out var entry));

        Assert.Equal(new FdbEntry(5, PhysicalAddress.Parse("00-00-00-00-00-00"), IPAddress.Parse("192.0.2.10")), entry);
    }

    [Fact]
    public void ParseFdb_BridgeLearnedEntry_IsSkipped()
    {
        var bytes = Hex("""
            4c 00 00 00 1c 00 00 00 00 00 00 00 00 00 00 00
            07 00 00 00 05 00 00 00 02 00 00 00
            0a 00 02 00 02 42 0a 00 00 09 |00 00
            08 00 09 00 02 00 00 00
            08 00 0f 00 00 00 00 00
            14 00 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            """);

        Assert.False(RtnlHandle.ParseFdb(new NetlinkMessage(bytes), out _));
    }

    [Fact]
    public void ParseNeighbor_PermanentArpEntry_ReadsIpMacAndState()
    {
        var bytes = Hex("""
            4c 00 00 00 1c 00 22 00 49 d3 02 6b 31 38 00 00
            02 00 00 00 05 00 00 00 80 00 00 01
            08 00 01 00 0a 00 00 05
            0a 00 02 00 02 42 0a 00 00 05 |00 00
            08 00 04 00 00 00 00 00
            14 00 03 00 8c 02 00 00 8c 02 00 00 8c 02 00 00 00 00 00 00
            """);

        Assert.True(RtnlHandle.ParseNeighbor(new NetlinkMessage(bytes), out var neighbor));

        Assert.Equal(new NeighborInfo(5, IPAddress.Parse("10.0.0.5"), PhysicalAddress.Parse("02-42-0a-00-00-05"), NeighborState.Permanent), neighbor);
    }

    [Fact]
    public void ParseAddress_DumpReply_ReadsLocalAndPrefix()
    {
        var bytes = Hex("""
            4c 00 00 00 14 00 22 00 16 d4 02 6b 80 4a 00 00
            02 18 80 00 02 00 00 00
            08 00 01 00 0a 00 00 01
            08 00 02 00 0a 00 00 01
            08 00 03 00 62 72 30 00
            08 00 08 00 80 00 00 00
            14 00 06 00 ff ff ff ff ff ff ff ff cb e2 00 00 cb e2 00 00
            """);

        Assert.True(RtnlHandle.ParseAddress(new NetlinkMessage(bytes), out var address));

        Assert.Equal(new AddressInfo(2, IPAddress.Parse("10.0.0.1"), 24), address);
    }

    [Fact]
    public void ParseRoute_DumpReply_ReadsDestinationGatewayAndDevice()
    {
        var bytes = Hex("""
            3c 00 00 00 18 00 22 00 15 d4 02 6b be 4a 00 00
            02 10 00 00 fe 03 00 01 00 00 00 00
            08 00 0f 00 fe 00 00 00
            08 00 01 00 0a 01 00 00
            08 00 05 00 0a 00 00 fe
            08 00 04 00 02 00 00 00
            """);

        Assert.True(RtnlHandle.ParseRoute(new NetlinkMessage(bytes), out var route));

        Assert.Equal(new RouteSpec(IPNetwork.Parse("10.1.0.0/16"), IPAddress.Parse("10.0.0.254"), 2), route);
    }

    [Fact]
    public void ParseMiss_L3Miss_ReturnsIp()
    {
        var bytes = Hex("""
            40 00 00 00 1e 00 00 00 00 00 00 00 00 00 00 00
            02 00 00 00 05 00 00 00 04 00 00 01
            08 00 01 00 0a 00 00 09
            08 00 07 00 00 00 00 01
            14 00 03 00 00 00 00 00 1b eb 66 66 1b eb 66 66 00 00 00 00
            """);

        Assert.Equal(new L3Miss(5, IPAddress.Parse("10.0.0.9")), NeighborMonitor.ParseMiss(new NetlinkMessage(bytes)));
    }

    [Fact]
    public void ParseMiss_L2Miss_ReturnsMac()
    {
        var bytes = Hex("""
            44 00 00 00 1e 00 00 00 00 00 00 00 00 00 00 00
            02 00 00 00 05 00 00 00 04 00 00 01
            0a 00 02 00 02 42 0a 00 00 09 |00 00
            08 00 07 00 00 00 00 00
            14 00 03 00 00 00 00 00 e6 eb 66 66 e6 eb 66 66 00 00 00 00
            """);

        Assert.Equal(new L2Miss(5, PhysicalAddress.Parse("02-42-0a-00-00-09")), NeighborMonitor.ParseMiss(new NetlinkMessage(bytes)));
    }

    [Fact]
    public void ParseMiss_NewNeighEcho_IsNotAMiss()
    {
        var bytes = Hex("""
            4c 00 00 00 1c 00 00 00 00 00 00 00 6a 3e 00 00
            02 00 00 00 05 00 00 00 80 00 00 01
            08 00 01 00 0a 00 00 09
            0a 00 02 00 02 42 0a 00 00 09 |00 00
            08 00 04 00 00 00 00 00
            14 00 03 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00
            """);

        Assert.Null(NeighborMonitor.ParseMiss(new NetlinkMessage(bytes)));
    }

    [Fact]
    public void MessageReader_TwoMessagesInOneDatagram_ReadsBoth()
    {
        var datagram = Hex("""
            14 00 00 00 03 00 02 00 01 00 00 00 00 00 00 00 00 00 00 00
            24 00 00 00 02 00 00 01 02 00 00 00 00 00 00 00 00 00 00 00
            38 00 00 00 10 00 05 06 02 00 00 00 00 00 00 00
            """);
        var reader = new MessageReader(datagram);

        Assert.True(reader.Next(out var first));
        var firstType = first.Type;
        Assert.True(reader.Next(out var second));

        Assert.Equal((Nlm.NLMSG_DONE, 1u), (firstType, first.Sequence));
        Assert.Equal((Nlm.NLMSG_ERROR, 2u), (second.Type, second.Sequence));
        Assert.False(reader.Next(out _));
    }

    /// <summary>An excerpt of a longer capture: its nlmsg_len is set to the bytes present.</summary>
    private static byte[] Message(string dump)
    {
        var bytes = Hex(dump);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        return bytes;
    }
}
