namespace DockerNetPlugin.Ipam.Tests;

public class AddressRangeTests
{
    [Fact]
    public void For_V4Pool_SkipsNetworkAndBroadcast()
    {
        var range = AddressRange.For(Cidr.Parse("10.30.0.0/29", "p"), null, 65536);
        Assert.Equal(6UL, range.Count);
        Assert.Equal("10.30.0.1-10.30.0.6", range.ToString());
    }

    [Fact]
    public void For_SubPoolAtPoolEdge_StaysInsideSubPoolWithoutBroadcast()
    {
        var range = AddressRange.For(Cidr.Parse("10.30.0.0/24", "p"), Cidr.Parse("10.30.0.128/25", "s"), 65536);
        Assert.Equal("10.30.0.128-10.30.0.254", range.ToString());
    }

    [Fact]
    public void For_V6Pool_SkipsAnycastAndIsCapped()
    {
        var range = AddressRange.For(Cidr.Parse("fd00:1::/64", "p"), null, 1000);
        Assert.Equal(1000UL, range.Count);
        Assert.Equal("fd00:1::1-fd00:1::3e8", range.ToString());
    }

    [Fact]
    public void For_Slash31_UsesBothAddresses()
    {
        Assert.Equal(2UL, AddressRange.For(Cidr.Parse("10.30.0.0/31", "p"), null, 1).Count);
    }
}
