using System.Text.Json;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests;

public sealed class DockerNetworkTests
{
    private const string Inspect = """
        {
          "Name": "shop_default", "Id": "7d2c", "Scope": "local", "Driver": "dnp",
          "Containers": {
            "4f1c9d3e2b7a8c6d": { "Name": "shop-web-1", "EndpointID": "a1b2", "MacAddress": "02:42:0a:0a:00:03", "IPv4Address": "10.10.0.3/24", "IPv6Address": "fd10::3/64" },
            "ep-c3d4": { "Name": "shop_default-endpoint", "EndpointID": "c3d4", "IPv4Address": "10.10.0.9/24", "IPv6Address": "" }
          }
        }
        """;

    [Fact]
    public void FindContainerByEndpoint_AttachedContainer_ReturnsItsIdAndEntry()
    {
        var network = JsonSerializer.Deserialize(Inspect, EngineJsonContext.Default.DockerNetwork)!;

        var (containerId, container) = network.FindContainerByEndpoint("a1b2")!.Value;

        Assert.Equal("4f1c9d3e2b7a8c6d", containerId);
        Assert.Equal(("shop-web-1", "10.10.0.3/24", "fd10::3/64"), (container.Name, container.Ipv4Address, container.Ipv6Address));
    }

    [Fact]
    public void FindContainerByEndpoint_EndpointWithoutContainerOrUnknown_IsNull()
    {
        var network = JsonSerializer.Deserialize(Inspect, EngineJsonContext.Default.DockerNetwork)!;

        Assert.Null(network.FindContainerByEndpoint("c3d4"));
        Assert.Null(network.FindContainerByEndpoint("ffff"));
        Assert.Null(new DockerNetwork().FindContainerByEndpoint("a1b2"));
    }
}
