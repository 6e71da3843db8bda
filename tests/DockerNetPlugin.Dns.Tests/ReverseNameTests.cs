using System.Net;

namespace DockerNetPlugin.Dns.Tests;

public sealed class ReverseNameTests
{
    [Fact]
    public void TryParse_InAddrArpa_ReversesOctets()
    {
        Assert.True(ReverseName.TryParse("3.2.1.10.in-addr.arpa", out var address));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), address);
    }

    [Fact]
    public void TryParse_Ip6Arpa_ReadsNibbles()
    {
        var name = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa";

        Assert.True(ReverseName.TryParse(name, out var address));
        Assert.Equal(IPAddress.Parse("fd00::5"), address);
    }

    [Theory]
    [InlineData("2.1.10.in-addr.arpa")]
    [InlineData("256.2.1.10.in-addr.arpa")]
    [InlineData("03.2.1.10.in-addr.arpa")]
    [InlineData("x.2.1.10.in-addr.arpa")]
    [InlineData("0.d.f.ip6.arpa")]
    [InlineData("web.example")]
    public void TryParse_PartialOrOther_IsFalse(string name)
    {
        Assert.False(ReverseName.TryParse(name, out _));
    }
}
