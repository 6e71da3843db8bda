using System.Text.Json;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests;

public sealed class ContainerEndpointTests
{
    [Fact]
    public void NamesFor_Docker25AndLater_UsesDnsNames()
    {
        var endpoint = new ContainerEndpoint { Aliases = ["web"], DnsNames = ["shop-web-1", "web", "4f1c9d3e2b7a", "web"] };

        Assert.Equal(["shop-web-1", "web", "4f1c9d3e2b7a"], endpoint.NamesFor("/shop-web-1"));
    }

    [Fact]
    public void NamesFor_Docker2010WithoutDnsNames_IsNameThenAliases()
    {
        // Docker 20.10 inspect: no DNSNames; the daemon itself appended the short ID to the aliases.
        var endpoint = JsonSerializer.Deserialize("""{"Aliases":["web","4f1c9d3e2b7a"],"NetworkID":"n","EndpointID":"e","IPAddress":"10.10.0.3"}""", EngineJsonContext.Default.ContainerEndpoint)!;

        Assert.Null(endpoint.DnsNames);
        Assert.Equal(["shop-web-1", "web", "4f1c9d3e2b7a"], endpoint.NamesFor("/shop-web-1"));
    }

    [Fact]
    public void NamesFor_NoAliases_IsTheContainerName()
    {
        Assert.Equal(["db"], new ContainerEndpoint().NamesFor("db"));
    }
}
