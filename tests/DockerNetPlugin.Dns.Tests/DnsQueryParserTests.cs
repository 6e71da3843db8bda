using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns.Tests;

public sealed class DnsQueryParserTests
{
    // dig +noadflag web.Example A: ID 0xbeef, RD, one question, OPT with size 1232 and DO clear.
    private static readonly byte[] s_digQuery =
    [
        0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x03, (byte)'w', (byte)'e', (byte)'b', 0x07, (byte)'E', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 0x00,
        0x00, 0x01, 0x00, 0x01,
        0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    [Fact]
    public void Parse_GoldenDigQuery_ReadsHeaderQuestionAndEdns()
    {
        var status = DnsQueryParser.Parse(s_digQuery, out _, out var query);

        Assert.Equal(DnsParseStatus.Ok, status);
        Assert.Equal(0xbeef, query!.Id);
        Assert.True(query.RecursionDesired);
        Assert.Equal("web.example", query.Name);
        Assert.True(query.NameIsHostname);
        Assert.Equal(s_digQuery[12..25], query.QuestionName);
        Assert.Equal((DnsType.A, DnsClass.IN), (query.QType, query.QClass));
        Assert.Equal(new EdnsOptions(1232, 0, false), query.Edns);
        Assert.Equal(29, query.QuestionEnd);
    }

    [Fact]
    public void Parse_ShorterThanHeader_Drops()
    {
        Assert.Equal(DnsParseStatus.Drop, DnsQueryParser.Parse(new byte[11], out _, out _));
    }

    [Fact]
    public void Parse_Response_DropsSoTwoResolversCannotLoop()
    {
        var message = Messages.Query("web", DnsType.A);
        message[2] |= 0x80;

        Assert.Equal(DnsParseStatus.Drop, DnsQueryParser.Parse(message, out var header, out _));
        Assert.True(header.IsResponse);
    }

    [Fact]
    public void Parse_NotifyOpcode_IsNotImplemented()
    {
        var message = Messages.Query("web", DnsType.A);
        message[2] = (byte)(4 << 3);

        Assert.Equal(DnsParseStatus.NotImp, DnsQueryParser.Parse(message, out var header, out _));
        Assert.Equal(4, header.Opcode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Parse_QuestionCountNotOne_IsFormErr(int count)
    {
        var message = Messages.Query("web", DnsType.A);
        message[5] = (byte)count;

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message, out var header, out _));
        Assert.Equal(0x1234, header.Id);
    }

    [Fact]
    public void Parse_PointerToItself_IsFormErr()
    {
        byte[] message = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message, out _, out _));
    }

    [Fact]
    public void Parse_ForwardPointer_IsFormErr()
    {
        // The question name points past itself, to a label that points back: a loop through a forward pointer.
        byte[] message = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 18, 0, 1, 0, 1, 1, (byte)'a', 0xC0, 12];

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message, out _, out _));
    }

    [Fact]
    public void Parse_LabelThenPointerBackToItsStart_IsFormErr()
    {
        // The additional record's owner at 21 is label "x" then a pointer (at 23) back to 21: backward, yet a loop.
        var message = new List<byte>(Messages.Query("web", DnsType.A)) { 1, (byte)'x', 0xC0, 21 };
        message[11] = 1;

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse([.. message], out _, out _));
    }

    [Fact]
    public void Parse_BackwardPointerInAdditionalRecord_IsAccepted()
    {
        // An additional A record whose owner points to the question name (offset 12).
        var message = new List<byte>(Messages.Query("web", DnsType.A)) { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 0, 0, 1 };
        message[11] = 1;

        Assert.Equal(DnsParseStatus.Ok, DnsQueryParser.Parse([.. message], out _, out var query));
        Assert.Null(query!.Edns);
    }

    [Fact]
    public void Parse_NameLongerThan255_IsFormErr()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)); // 4 * 64 + 1 = 257 bytes
        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(Messages.Query(name, DnsType.A), out _, out _));
    }

    [Fact]
    public void Parse_LabelLengthWithReservedBits_IsFormErr()
    {
        byte[] message = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, (byte)'a', 0, 0, 1, 0, 1];

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message, out _, out _));
    }

    [Fact]
    public void Parse_TruncatedQuestion_IsFormErr()
    {
        var message = Messages.Query("web.example", DnsType.A);

        for (var length = 12; length < message.Length; length++)
        {
            Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message.AsSpan(0, length), out _, out _));
        }
    }

    [Fact]
    public void Parse_TrailingBytes_IsFormErr()
    {
        byte[] message = [.. Messages.Query("web", DnsType.A), 0xFF];

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message, out _, out _));
    }

    [Fact]
    public void Parse_TwoOptRecords_IsFormErr()
    {
        var message = new List<byte>(Messages.Query("web", DnsType.A, ednsSize: 1232)) { 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0 };
        message[11] = 2;

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse([.. message], out _, out _));
    }

    [Fact]
    public void Parse_OversizedMessage_IsFormErr()
    {
        var message = new byte[DnsQueryParser.MaxQuerySize + 1];
        Messages.Query("web", DnsType.A).CopyTo(message, 0);

        Assert.Equal(DnsParseStatus.FormErr, DnsQueryParser.Parse(message, out _, out _));
    }

    [Fact]
    public void Parse_EdnsSizeBelow512_CountsAs512()
    {
        DnsQueryParser.Parse(Messages.Query("web", DnsType.A, ednsSize: 100), out _, out var query);

        Assert.Equal(512, query!.Edns!.UdpSize);
    }

    [Fact]
    public void Parse_LabelWithDot_IsNotAHostname()
    {
        byte[] message = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'a', (byte)'.', (byte)'b', 0, 0, 1, 0, 1];

        DnsQueryParser.Parse(message, out _, out var query);

        Assert.False(query!.NameIsHostname);
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        var random = new Random(14);
        var buffer = new byte[600];
        for (var i = 0; i < 20000; i++)
        {
            var length = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length > 5 && i % 2 == 0)
            {
                buffer[2] &= 0x07; // a query with opcode 0, so parsing gets past the header
                buffer[4] = 0;
                buffer[5] = 1;
            }

            _ = DnsQueryParser.Parse(buffer.AsSpan(0, length), out _, out _);
        }
    }
}
