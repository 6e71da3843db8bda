using System.Text.Json;
using DockerNetPlugin.Protocol;

namespace DockerNetPlugin.Host.Tests;

/// <summary>Wire requests as Docker sends them, mapped to the driver's requests, and refused by name when wrong.</summary>
public sealed class RequestMapperTests
{
    private static T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Deserialize(json, type)!;

    [Fact]
    public void ToNetworkCreation_DockerBody_SubnetsOptionsAndFlags()
    {
        var request = Parse("""
            {"NetworkID":"abc123","Options":{"com.docker.network.enable_ipv6":false,"com.docker.network.generic":{"dnp.vni":"5000","dnp.flag":true},"com.docker.network.internal":"true"},
             "IPv4Data":[{"AddressSpace":"","Gateway":"10.30.0.1/24","Pool":"10.30.0.0/24"}],"IPv6Data":[]}
            """, PluginJsonContext.Default.CreateNetworkRequest);

        var creation = RequestMapper.ToNetworkCreation(request);

        Assert.Equal("abc123", creation.DockerNetworkId);
        Assert.True(creation.Internal);
        Assert.False(creation.EnableIPv6);
        Assert.Equal("5000", creation.DriverOptions["dnp.vni"]);
        Assert.Equal("true", creation.DriverOptions["dnp.flag"]);
        Assert.Equal("10.30.0.1/24", Assert.Single(creation.Subnets).Gateway!.ToString());
    }

    [Theory]
    [InlineData("""{"NetworkID":"n","IPv4Data":[{"Pool":"10.30.0.1/24"}]}""", "no host bits set")]
    [InlineData("""{"NetworkID":"n","IPv4Data":[{"Pool":"10.30.0.0/24","Gateway":"10.31.0.1/24"}]}""", "outside the subnet")]
    [InlineData("""{"NetworkID":"n","IPv4Data":[{"Pool":"0.0.0.0/0"}]}""", "not a usable subnet")]
    [InlineData("""{"NetworkID":"","IPv4Data":[]}""", "NetworkID is missing")]
    [InlineData("""{"NetworkID":"n","Options":{"com.docker.network.generic":[1]}}""", "must be an object")]
    public void ToNetworkCreation_BadBody_RefusedSayingWhat(string json, string expected)
    {
        var e = Assert.Throws<BadRequestException>(() => RequestMapper.ToNetworkCreation(Parse(json, PluginJsonContext.Default.CreateNetworkRequest)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToEndpointCreation_AddressesAndMac_ParsedOrRefused()
    {
        var ok = RequestMapper.ToEndpointCreation(Parse("""{"NetworkID":"n","EndpointID":"e","Interface":{"Address":"10.30.0.2/24","MacAddress":"02:42:0a:1e:00:02"}}""", PluginJsonContext.Default.CreateEndpointRequest));
        Assert.Equal("10.30.0.2/24", ok.IPv4!.ToString());
        Assert.NotNull(ok.Mac);

        var e = Assert.Throws<BadRequestException>(() => RequestMapper.ToEndpointCreation(Parse("""{"NetworkID":"n","EndpointID":"e","Interface":{"MacAddress":"zz"}}""", PluginJsonContext.Default.CreateEndpointRequest)));
        Assert.Contains("is not a MAC address", e.Message, StringComparison.Ordinal);
        Assert.Null(RequestMapper.EndpointIds(null, null, "Leave"));
        Assert.Throws<BadRequestException>(() => RequestMapper.EndpointIds("n", "bad id!", "Leave"));
    }
}
