using System.Text.Json;
using DockerNetPlugin.Host;
using DockerNetPlugin.Protocol;

namespace DockerNetPlugin.Host.Tests;

/// <summary>
/// What newer engines put into CreateNetwork and CreateEndpoint (docker-versions.md B.1): Docker 28's
/// <c>enable_ipv4</c>, the gratuitous-ARP network options and the endpoint sysctls/ifname driver options.
/// </summary>
public sealed class RequestMapperEngineOptionsTests
{
    private static readonly IpamData[] s_v4 = [new IpamData("dnp-local", "10.60.0.0/24", "10.60.0.1/24", null)];
    private static readonly IpamData[] s_v6 = [new IpamData("dnp-local", "fd00:60::/64", "fd00:60::1/64", null)];

    [Fact]
    public void Ipv4Disabled_IsRefusedNamingTheFlag()
    {
        var request = new CreateNetworkRequest("n1", Options("""{"com.docker.network.enable_ipv4": false, "com.docker.network.enable_ipv6": true}"""), [], s_v6);

        var error = Assert.Throws<BadRequestException>(() => RequestMapper.ToNetworkCreation(request));

        Assert.Contains("--ipv4=false", error.Message, StringComparison.Ordinal);
        Assert.Contains("IPv4 --subnet", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"com.docker.network.enable_ipv4": true, "com.docker.network.enable_ipv6": false}""")]
    [InlineData("""{"com.docker.network.enable_ipv6": false}""")] // before 28: no enable_ipv4 at all
    [InlineData("""{"com.docker.network.enable_ipv4": null}""")]
    public void Ipv4EnabledOrNotSaid_IsAccepted(string options)
    {
        var creation = RequestMapper.ToNetworkCreation(new CreateNetworkRequest("n1", Options(options), s_v4, []));

        Assert.Equal("10.60.0.0/24", Assert.Single(creation.Subnets).Pool.ToString());
    }

    [Fact]
    public void GratuitousArpOptions_OfDocker28_AreKeptAsDriverOptions()
    {
        var options = Options("""
            {"com.docker.network.enable_ipv4": true, "com.docker.network.enable_ipv6": true,
             "com.docker.network.generic": {"com.docker.network.advertise_addr_nmsgs": "2", "com.docker.network.advertise_addr_ms": "200"}}
            """);

        var creation = RequestMapper.ToNetworkCreation(new CreateNetworkRequest("n1", options, s_v4, s_v6));

        Assert.True(creation.EnableIPv6);
        Assert.Equal("2", creation.DriverOptions["com.docker.network.advertise_addr_nmsgs"]);
        Assert.Equal(2, creation.Subnets.Count);
    }

    [Fact]
    public void EndpointSysctlsAndIfnameOptions_AreAccepted()
    {
        var options = Options("""
            {"com.docker.network.endpoint.sysctls": "net.ipv4.conf.IFNAME.log_martians=1",
             "com.docker.network.endpoint.ifname": "ovl0",
             "com.docker.network.portmap": [], "com.docker.network.endpoint.exposedports": []}
            """);

        var creation = RequestMapper.ToEndpointCreation(new CreateEndpointRequest("n1", "e1", new EndpointInterface("10.60.0.2/24", null, "02:42:0a:3c:00:02"), options));

        Assert.Equal("10.60.0.2", creation.IPv4!.Address.ToString());
    }

    private static Dictionary<string, JsonElement> Options(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }
}
