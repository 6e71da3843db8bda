using System.Text.Json;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests;

public sealed class ContainerInspectTests
{
    // The parts of `docker inspect` of a Compose service container on Docker 28.5 (API 1.51) that name resolution uses.
    internal const string Docker28Inspect = """
        {
          "Id": "4f1c9d3e2b7a8c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d",
          "Name": "/shop-web-1",
          "Config": { "Hostname": "4f1c9d3e2b7a", "Image": "busybox" },
          "NetworkSettings": {
            "SandboxKey": "/var/run/docker/netns/0c4a8f0e2b1d",
            "Networks": {
              "shop_default": {
                "IPAMConfig": null,
                "Links": null,
                "Aliases": ["shop-web-1", "web"],
                "MacAddress": "02:42:0a:0a:00:03",
                "DriverOpts": null,
                "GwPriority": 0,
                "NetworkID": "7d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c",
                "EndpointID": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2",
                "Gateway": "",
                "IPAddress": "10.10.0.3",
                "IPPrefixLen": 24,
                "IPv6Gateway": "",
                "GlobalIPv6Address": "fd10::3",
                "GlobalIPv6PrefixLen": 64,
                "DNSNames": ["shop-web-1", "web", "4f1c9d3e2b7a"]
              }
            }
          }
        }
        """;

    [Fact]
    public void Deserialize_Docker28_ReadsNameAndEndpointNamingFields()
    {
        var inspect = JsonSerializer.Deserialize(Docker28Inspect, EngineJsonContext.Default.ContainerInspect)!;

        Assert.Equal("shop-web-1", inspect.ContainerName);
        var (networkName, endpoint) = inspect.EndpointOn("7d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c")!.Value;
        Assert.Equal("shop_default", networkName);
        Assert.Equal("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2", endpoint.EndpointId);
        Assert.Equal(("10.10.0.3", "fd10::3"), (endpoint.IpAddress, endpoint.GlobalIpv6Address));
        Assert.Equal(["shop-web-1", "web"], endpoint.Aliases!);
        Assert.Equal(["shop-web-1", "web", "4f1c9d3e2b7a"], endpoint.DnsNames!);
    }

    [Fact]
    public void EndpointOn_NetworkTheContainerIsNotOn_IsNull()
    {
        var inspect = JsonSerializer.Deserialize(Docker28Inspect, EngineJsonContext.Default.ContainerInspect)!;

        Assert.Null(inspect.EndpointOn("0000"));
        Assert.Null(new ContainerInspect().EndpointOn("0000"));
    }
}
