using System.Net;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns.Tests;

public sealed class DnsResponseWriterTests
{
    private static DnsQuery Parse(byte[] message)
    {
        Assert.Equal(DnsParseStatus.Ok, DnsQueryParser.Parse(message, out _, out var query));
        return query!;
    }

    [Fact]
    public void Write_CompressedA_MatchesGoldenBytes()
    {
        var query = Parse(Messages.Query("Web", DnsType.A, id: 0xbeef));
        var buffer = new byte[512];

        var length = DnsResponseWriter.Write(buffer, query, DnsRcode.NoError, [DnsAnswer.ForAddress(IPAddress.Parse("10.1.2.3"))], 0, 512, compress: true, authoritative: true);

        byte[] expected =
        [
            0xbe, 0xef, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, // QR AA RD RA, one question, one answer
            3, (byte)'W', (byte)'e', (byte)'b', 0, 0, 1, 0, 1, // the question as the client spelled it
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 1, 2, 3, // owner points to the question, TTL 0
        ];
        Assert.Equal(expected, buffer[..length]);
    }

    [Fact]
    public void Write_UncompressedAaaaWithEdns_RepeatsNameAndAddsOpt()
    {
        var query = Parse(Messages.Query("db", DnsType.AAAA, ednsSize: 4096));
        var buffer = new byte[512];

        var length = DnsResponseWriter.Write(buffer, query, DnsRcode.NoError, [DnsAnswer.ForAddress(IPAddress.Parse("fd00::5"))], 7, 512, compress: false, authoritative: true);

        var answer = buffer[..length];
        Assert.Equal(1, answer[11]); // ARCOUNT: our OPT
        Assert.Equal([2, (byte)'d', (byte)'b', 0, 0, 28, 0, 1, 0, 0, 0, 7, 0, 16], answer[20..34]);
        Assert.Equal(IPAddress.Parse("fd00::5"), new IPAddress(answer[34..50]));
        Assert.Equal([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0], answer[50..]);
    }

    [Fact]
    public void Write_Pointer_WritesTargetName()
    {
        var query = Parse(Messages.Query("3.2.1.10.in-addr.arpa", DnsType.PTR));
        var buffer = new byte[512];

        var length = DnsResponseWriter.Write(buffer, query, DnsRcode.NoError, [DnsAnswer.ForPointer(Messages.Name("web.shop"))], 0, 512, compress: true, authoritative: true);

        var answers = Messages.Answers(buffer[..length]);
        Assert.Equal("web.shop", Messages.NameText(Assert.Single(answers).Data));
    }

    [Fact]
    public void Write_MoreThanFits_KeepsWholeRecordsAndSetsTc()
    {
        var query = Parse(Messages.Query("many", DnsType.A));
        var answers = Enumerable.Range(1, 40).Select(i => DnsAnswer.ForAddress(IPAddress.Parse($"10.0.0.{i}"))).ToList();
        var buffer = new byte[4096];

        var length = DnsResponseWriter.Write(buffer, query, DnsRcode.NoError, answers, 0, 512, compress: true, authoritative: true);

        var answer = buffer[..length];
        Assert.True(length <= 512);
        Assert.True(Messages.Truncated(answer));
        Assert.Equal((512 - 12 - 10) / 16, Messages.AnswerCount(answer));
    }

    [Fact]
    public void Write_BadVers_PutsUpperRcodeBitsInOpt()
    {
        var query = Parse(Messages.Query("web", DnsType.A, ednsSize: 1232, ednsVersion: 1));
        var buffer = new byte[512];

        var length = DnsResponseWriter.Write(buffer, query, DnsRcode.BadVers, [], 0, 512, compress: false, authoritative: false);

        Assert.Equal(0, buffer[3] & 0xF);
        Assert.Equal(1, buffer[length - 6]); // OPT TTL high byte: extended rcode 16 >> 4
    }

    [Fact]
    public void WriteError_EchoesIdOpcodeAndRd()
    {
        var message = Messages.Query("web", DnsType.A, id: 0x4242);
        message[2] = (byte)((2 << 3) | 1);
        DnsQueryParser.Parse(message, out var header, out _);
        var buffer = new byte[12];

        DnsResponseWriter.WriteError(buffer, header, DnsRcode.NotImp);

        Assert.Equal([0x42, 0x42, 0x80 | (2 << 3) | 1, 0x80 | 4, 0, 0, 0, 0, 0, 0, 0, 0], buffer);
    }
}
