using System.Net;

namespace DockerNetPlugin.Dns.Tests;

public sealed class ResolvConfTests
{
    [Fact]
    public void Parse_MixedFile_KeepsNameserversInOrderWithoutEmbeddedDns()
    {
        const string text = """
            # written by NetworkManager
            search corp.example
            nameserver 127.0.0.11
            nameserver 192.0.2.53
            ; comment
            nameserver	2001:db8::53
            nameserver fe80::1%2
            nameserver not-an-address
            nameserver 192.0.2.53
            options ndots:0
            """;

        var servers = ResolvConf.Parse(text);

        Assert.Equal(
            ["192.0.2.53:53", "[2001:db8::53]:53", "[fe80::1%2]:53"],
            servers.Select(s => s.ToString()));
    }

    [Fact]
    public void Parse_Empty_IsEmpty()
    {
        Assert.Empty(ResolvConf.Parse(""));
    }

    [Fact]
    public void Parse_LoopbackStub_IsKept()
    {
        // systemd-resolved: the forwarder's sockets live in the host namespace, where 127.0.0.53 answers.
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53), Assert.Single(ResolvConf.Parse("nameserver 127.0.0.53\n")));
    }
}
