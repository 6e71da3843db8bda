using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns.Tests;

public sealed class DnsServerTests : IAsyncLifetime
{
    private static readonly IPAddress s_other = IPAddress.Parse("127.0.0.2");

    private readonly NameTable _table = new();
    private FakeUpstream _upstream = null!;

    public Task InitializeAsync()
    {
        _table.SetNetwork("n1", "shop");
        _table.Upsert(Records.On("n1", "client", "127.0.0.1"));
        _table.Upsert(Records.On("n1", "web", "10.1.0.3", "fd01::3", aliases: ["frontend"]));
        _table.Upsert(Records.On("n1", "web2", "10.1.0.4", host: "h2", aliases: ["frontend"]));
        _upstream = new FakeUpstream(IPAddress.Parse("127.0.0.3"), q => FakeUpstream.Reply(q, DnsRcode.NxDomain, 1));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private LoopbackServer Start(DnsServerOptions? options = null) =>
        LoopbackServer.Start(_table, (options ?? new DnsServerOptions()) with { UpstreamServers = options?.UpstreamServers ?? [_upstream.Endpoint] });

    private static async Task AssertStillAnswersAsync(LoopbackServer server)
    {
        var answer = await server.UdpAsync(Messages.Query("web", DnsType.A, id: 0x7777));
        Assert.Equal(0x7777, Messages.Id(answer));
        Assert.Equal([IPAddress.Parse("10.1.0.3")], Messages.Addresses(answer));
        Assert.Equal([IPAddress.Parse("10.1.0.3")], Messages.Addresses(await server.TcpAsync(Messages.Query("web", DnsType.A))));
    }

    [Fact]
    public async Task Udp_LocalName_AnsweredAuthoritativelyWithClientsId()
    {
        await using var server = Start();

        var answer = await server.UdpAsync(Messages.Query("web", DnsType.A, id: 0xabcd));

        Assert.Equal(0xabcd, Messages.Id(answer));
        Assert.Equal(DnsRcode.NoError, Messages.Rcode(answer));
        Assert.True(Messages.Authoritative(answer));
        Assert.Equal([IPAddress.Parse("10.1.0.3")], Messages.Addresses(answer));
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task Tcp_AliasAndAaaaAndPtr_Answered()
    {
        await using var server = Start();

        Assert.Equal(2, Messages.Addresses(await server.TcpAsync(Messages.Query("frontend.shop", DnsType.A))).Count);
        Assert.Equal([IPAddress.Parse("fd01::3")], Messages.Addresses(await server.TcpAsync(Messages.Query("web", DnsType.AAAA))));
        var ptr = Messages.Answers(await server.TcpAsync(Messages.Query("3.0.1.10.in-addr.arpa", DnsType.PTR)));
        Assert.Equal("web.shop", Messages.NameText(Assert.Single(ptr).Data));
    }

    [Fact]
    public async Task Udp_OwnNameWithoutAaaa_IsNoErrorWithoutData()
    {
        await using var server = Start();

        var answer = await server.UdpAsync(Messages.Query("web2", DnsType.AAAA));

        Assert.Equal(DnsRcode.NoError, Messages.Rcode(answer));
        Assert.Equal(0, Messages.AnswerCount(answer));
    }

    [Fact]
    public async Task Udp_AskerOnNoNetwork_IsForwardedNotAnswered()
    {
        await using var server = Start();

        var answer = await server.UdpAsync(Messages.Query("web", DnsType.A, id: 0x0102), from: s_other);

        Assert.Equal(DnsRcode.NxDomain, Messages.Rcode(answer));
        Assert.Equal(0x0102, Messages.Id(answer));
        Assert.Single(_upstream.Received);
    }

    [Fact]
    public async Task Udp_ExternalName_ForwardedAndPassedThroughByteForByte()
    {
        await using var server = Start();
        var query = Messages.Query("example.org", DnsType.A, id: 0x5151, ednsSize: 1232);

        var answer = await server.UdpAsync(query);

        var (tcp, forwarded) = Assert.Single(_upstream.Received);
        Assert.False(tcp);
        Assert.Equal(query[2..], forwarded[2..]); // the query went out unchanged but for its ID
        var expected = FakeUpstream.Reply(forwarded, DnsRcode.NxDomain, 1);
        expected[0] = 0x51;
        expected[1] = 0x51;
        Assert.Equal(expected, answer);
    }

    [Fact]
    public async Task Tcp_ExternalName_ForwardedOverTcp()
    {
        await using var server = Start();

        var answer = await server.TcpAsync(Messages.Query("example.org", DnsType.A, id: 0x6161));

        Assert.Equal(0x6161, Messages.Id(answer));
        Assert.True(Assert.Single(_upstream.Received).Tcp);
    }

    [Fact]
    public async Task Forward_SilentFirstUpstream_TimesOutThenAsksTheNext()
    {
        await using var silent = new FakeUpstream(IPAddress.Parse("127.0.0.4"), _ => null);
        await using var server = Start(new DnsServerOptions { UpstreamServers = [silent.Endpoint, _upstream.Endpoint], UpstreamTimeout = TimeSpan.FromMilliseconds(300) });

        var udp = await server.UdpAsync(Messages.Query("example.org", DnsType.A));
        var tcp = await server.TcpAsync(Messages.Query("example.org", DnsType.A));

        Assert.Equal([IPAddress.Parse("192.0.2.1")], Messages.Addresses(udp));
        Assert.Equal([IPAddress.Parse("192.0.2.1")], Messages.Addresses(tcp));
        Assert.Equal(2, silent.Received.Count);
    }

    [Fact]
    public async Task Forward_ServFailThenAnswer_UsesTheNextServer_NxDomainIsFinal()
    {
        await using var failing = new FakeUpstream(IPAddress.Parse("127.0.0.5"), q => FakeUpstream.Reply(q, DnsRcode.ServFail, 9));
        await using var last = new FakeUpstream(IPAddress.Parse("127.0.0.6"), q => FakeUpstream.Reply(q, DnsRcode.NoError, 7));
        await using var server = Start(new DnsServerOptions { UpstreamServers = [failing.Endpoint, _upstream.Endpoint, last.Endpoint] });

        var answer = await server.UdpAsync(Messages.Query("example.org", DnsType.A));

        Assert.Equal(DnsRcode.NxDomain, Messages.Rcode(answer));
        Assert.Single(failing.Received);
        Assert.Empty(last.Received);
    }

    [Fact]
    public async Task Forward_NoUpstreamAnswers_ServFail()
    {
        await using var refusing = new FakeUpstream(IPAddress.Parse("127.0.0.7"), q => FakeUpstream.Reply(q, DnsRcode.Refused, 9));
        await using var server = Start(new DnsServerOptions { UpstreamServers = [refusing.Endpoint] });

        var answer = await server.UdpAsync(Messages.Query("example.org", DnsType.A, id: 0x0909));

        Assert.Equal(DnsRcode.ServFail, Messages.Rcode(answer));
        Assert.Equal(0x0909, Messages.Id(answer));
        Assert.Equal(1, server.Server.Counters.Snapshot().ForwardFailures);
    }

    [Fact]
    public async Task Forward_ResolvConfNamingOnlyDockersResolver_ServFailInsteadOfLooping()
    {
        // A resolv.conf written for a container names 127.0.0.11; forwarding there would loop through Docker.
        var path = Path.Combine(Path.GetTempPath(), $"dnp-dns-test-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, "nameserver 127.0.0.11\n");
        try
        {
            await using var server = LoopbackServer.Start(_table, new DnsServerOptions { ResolvConfPath = path });

            Assert.Equal(DnsRcode.ServFail, Messages.Rcode(await server.UdpAsync(Messages.Query("example.org", DnsType.A))));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Udp_LargeAliasWithoutEdns_TruncatedWithTc_WholeOverTcpAndEdns()
    {
        for (var i = 0; i < 40; i++)
        {
            _table.Upsert(Records.On("n1", $"replica{i}", $"10.1.1.{i + 1}", aliases: ["big"]));
        }

        await using var server = Start();

        var plain = await server.UdpAsync(Messages.Query("big", DnsType.A));
        var edns = await server.UdpAsync(Messages.Query("big", DnsType.A, ednsSize: 4096));
        var tcp = await server.TcpAsync(Messages.Query("big", DnsType.A));

        Assert.True(Messages.Truncated(plain));
        Assert.True(plain.Length <= 512);
        Assert.False(Messages.Truncated(edns));
        Assert.Equal(40, Messages.AnswerCount(edns));
        Assert.False(Messages.Truncated(tcp));
        Assert.Equal(40, Messages.AnswerCount(tcp));
        Assert.Equal(1, server.Server.Counters.Snapshot().Truncated);
    }

    public static TheoryData<string, byte[], int> HostileQueries()
    {
        var loop = new byte[] { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1 };
        var twoQuestions = Messages.Query("web", DnsType.A);
        twoQuestions[5] = 2;
        var update = Messages.Query("web", DnsType.A);
        update[2] = 5 << 3;
        var oversized = new byte[5000];
        Messages.Query("web", DnsType.A).CopyTo(oversized, 0);
        var truncated = Messages.Query("web.example", DnsType.A)[..20];
        return new TheoryData<string, byte[], int>
        {
            { "compression loop", loop, DnsRcode.FormErr },
            { "two questions", twoQuestions, DnsRcode.FormErr },
            { "truncated question", truncated, DnsRcode.FormErr },
            { "oversized", oversized, DnsRcode.FormErr },
            { "type 0", Messages.Query("web", 0), DnsRcode.FormErr },
            { "UPDATE opcode", update, DnsRcode.NotImp },
            { "ANY", Messages.Query("web", DnsType.ANY), DnsRcode.NotImp },
            { "AXFR", Messages.Query("shop", 252), DnsRcode.NotImp },
            { "class CHAOS", Messages.Query("version.bind", 16, qclass: 3), DnsRcode.Refused },
            { "EDNS version 1", Messages.Query("web", DnsType.A, ednsSize: 1232, ednsVersion: 1), DnsRcode.NoError /* BADVERS: low bits 0 */ },
        };
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Udp_HostileQuery_GetsErrorAndServerKeepsAnswering(string what, byte[] message, int rcode)
    {
        await using var server = Start();

        var answer = await server.UdpAsync(message);

        Assert.True(Messages.Rcode(answer) == rcode, $"{what}: rcode {Messages.Rcode(answer)}");
        Assert.Equal(Messages.Id(message), Messages.Id(answer));
        Assert.True((answer[2] & 0x80) != 0, what);
        Assert.Empty(_upstream.Received);
        await AssertStillAnswersAsync(server);
    }

    [Fact]
    public async Task Udp_UnknownTypeOfExternalName_IsForwarded()
    {
        await using var server = Start();

        Assert.Equal(DnsRcode.NxDomain, Messages.Rcode(await server.UdpAsync(Messages.Query("example.org", 65280))));
        Assert.Single(_upstream.Received);
    }

    [Theory]
    [InlineData("short", new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData("response", new byte[] { 0x11, 0x11, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'e', (byte)'b', 0, 0, 1, 0, 1 })]
    public async Task Udp_DroppedMessage_NoAnswerAndServerKeepsAnswering(string what, byte[] message)
    {
        await using var server = Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // The server handles datagrams in order: had it answered the bad one, that answer would come first.
        await client.SendToAsync(message, SocketFlags.None, server.Endpoint);
        await client.SendToAsync(Messages.Query("web", DnsType.A, id: 0x2222), SocketFlags.None, server.Endpoint);

        Assert.True(Messages.Id(await LoopbackServer.ReceiveAsync(client)) == 0x2222, what);
        Assert.Equal(1, server.Server.Counters.Snapshot().Dropped);
    }

    [Fact]
    public async Task Tcp_LengthPrefixShorterThanHeader_ClosesOnlyThatConnection()
    {
        await using var server = Start();
        using var bad = await server.ConnectAsync();

        await bad.SendAsync(new byte[] { 0, 3, 1, 2, 3 }, SocketFlags.None);

        Assert.True(await LoopbackServer.ClosedByServerAsync(bad));
        await AssertStillAnswersAsync(server);
    }

    [Fact]
    public async Task Tcp_PartialFrame_ClosedAfterIdleTimeout()
    {
        await using var server = Start(new DnsServerOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(200) });
        using var slow = await server.ConnectAsync();

        await slow.SendAsync(new byte[] { 0, 40, 0x12 }, SocketFlags.None); // promises 40 bytes, sends 1

        Assert.True(await LoopbackServer.ClosedByServerAsync(slow));
        await AssertStillAnswersAsync(server);
    }

    [Fact]
    public async Task Tcp_ManyQueriesOnOneConnection_AllAnswered()
    {
        await using var server = Start();
        using var client = await server.ConnectAsync();

        for (ushort id = 1; id <= 5; id++)
        {
            Assert.Equal(id, Messages.Id(await LoopbackServer.ExchangeAsync(client, Messages.Query("web", DnsType.A, id: id))));
        }
    }

    [Fact]
    public async Task Tcp_ConnectionsOverCap_ClosedAtOnce_SlotFreedOnClose()
    {
        await using var server = Start(new DnsServerOptions { MaxTcpConnections = 2 });
        var first = await server.ConnectAsync();
        using var second = await server.ConnectAsync();
        await LoopbackServer.ExchangeAsync(first, Messages.Query("web", DnsType.A)); // both accepted and counted
        await LoopbackServer.ExchangeAsync(second, Messages.Query("web", DnsType.A));

        using (var third = await server.ConnectAsync())
        {
            Assert.True(await LoopbackServer.ClosedByServerAsync(third));
        }

        first.Dispose();
        Assert.Equal(1, server.Server.Counters.Snapshot().TcpRejected);

        // The slot comes back once the server notices the close; poll with fresh connections (bounded by the guard).
        using var guard = new CancellationTokenSource(LoopbackServer.Guard);
        while (true)
        {
            using var next = await server.ConnectAsync();
            try
            {
                await LoopbackServer.ExchangeAsync(next, Messages.Query("web", DnsType.A));
                break;
            }
            catch (Exception ex) when (ex is SocketException or Xunit.Sdk.XunitException && !guard.IsCancellationRequested)
            {
                await Task.Delay(20, guard.Token);
            }
        }
    }

    [Fact]
    public async Task Counters_CountLocalForwardedAndErrors()
    {
        await using var server = Start();

        await server.UdpAsync(Messages.Query("web", DnsType.A));
        await server.UdpAsync(Messages.Query("example.org", DnsType.A));
        await server.UdpAsync(Messages.Query("web", DnsType.ANY));

        var counters = server.Server.Counters.Snapshot();
        Assert.Equal((3L, 1L, 1L, 1L), (counters.Queries, counters.AnsweredLocally, counters.Forwarded, counters.Errors));
    }

    [Fact]
    public async Task Udp_ServerOfAnotherNetwork_DoesNotAnswerAnAskerThatIsNotOnIt()
    {
        // One resolver per overlay namespace: the n2 resolver must not take 127.0.0.1 for n1's client.
        _table.SetNetwork("n2", "billing");
        _table.Upsert(Records.On("n2", "ledger", "10.2.0.5"));
        await using var n1 = Start(new DnsServerOptions { NetworkId = "n1" });
        await using var n2 = Start(new DnsServerOptions { NetworkId = "n2" });

        Assert.Equal(DnsRcode.NoError, Messages.Rcode(await n1.UdpAsync(Messages.Query("web", DnsType.A))));
        Assert.Equal(DnsRcode.NxDomain, Messages.Rcode(await n2.UdpAsync(Messages.Query("web", DnsType.A))));
    }

    [Fact]
    public async Task Udp_Ipv6Listener_IdentifiesIpv6Asker()
    {
        _table.Upsert(Records.On("n1", "v6client", null, "::1"));
        using var udp = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        using var stop = new CancellationTokenSource();
        var server = new DnsServer(_table, new DnsServerOptions { UpstreamServers = [_upstream.Endpoint] });
        var run = server.RunAsync(udp, null, stop.Token);
        try
        {
            using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            client.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            await client.SendToAsync(Messages.Query("web", DnsType.AAAA), SocketFlags.None, udp.LocalEndPoint!);

            Assert.Equal([IPAddress.Parse("fd01::3")], Messages.Addresses(await LoopbackServer.ReceiveAsync(client)));
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    [Fact]
    public async Task Udp_InternalNetworkWithoutForwarding_AnswersNamesRefusesTheRest()
    {
        await using var server = Start(new DnsServerOptions { ForwardUnknownNames = false });

        Assert.Equal([IPAddress.Parse("10.1.0.3")], Messages.Addresses(await server.UdpAsync(Messages.Query("web", DnsType.A))));
        Assert.Equal(DnsRcode.Refused, Messages.Rcode(await server.UdpAsync(Messages.Query("example.org", DnsType.A))));
        Assert.Empty(_upstream.Received);
    }
}
