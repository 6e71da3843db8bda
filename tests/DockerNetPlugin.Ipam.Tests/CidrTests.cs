namespace DockerNetPlugin.Ipam.Tests;

public class CidrTests
{
    [Theory]
    [InlineData("10.30.0.0/24")]
    [InlineData("10.0.0.0/8")]
    [InlineData("fd5a:7e1d:d1b0::/64")]
    [InlineData("192.168.1.7/32")]
    public void Parse_CanonicalCidr_RoundTrips(string text) =>
        Assert.Equal(text, Cidr.Parse(text, "--subnet").ToString());

    [Fact]
    public void Parse_HostBitsSet_RefusedWithTheNetworkMeant()
    {
        var e = Assert.Throws<InvalidIpamRequestException>(() => Cidr.Parse("10.30.0.1/24", "--subnet"));
        Assert.Contains("host bits set", e.Message, StringComparison.Ordinal);
        Assert.Contains("10.30.0.0/24", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.30.0.0")]
    [InlineData("10.30.0.0/33")]
    [InlineData("10.30.0.0/-1")]
    [InlineData("10.30/16")]
    [InlineData("010.30.0.0/16")]
    [InlineData("bogus/24")]
    [InlineData("fd00::/129")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("/24")]
    public void Parse_Malformed_RefusedNamingTheInput(string text)
    {
        var e = Assert.Throws<InvalidIpamRequestException>(() => Cidr.Parse(text, "--subnet"));
        Assert.Contains("--subnet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlaps_NestedAndDisjoint_Detected()
    {
        var wide = Cidr.Parse("10.30.0.0/16", "a");
        var inner = Cidr.Parse("10.30.5.0/24", "b");
        var other = Cidr.Parse("10.31.0.0/24", "c");
        Assert.True(wide.Overlaps(inner));
        Assert.True(inner.Overlaps(wide));
        Assert.False(wide.Overlaps(other));
        Assert.True(wide.Contains(inner));
        Assert.False(inner.Contains(wide));
    }
}
