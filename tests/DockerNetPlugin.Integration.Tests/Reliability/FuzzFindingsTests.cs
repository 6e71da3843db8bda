using System.Text;
using System.Text.Json;
using DockerNetPlugin.Fuzzer;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// What the fuzzer found, kept as regression cases against the real plugin: each request once crashed a handler,
/// got a reply Docker could not read, leaked a record, or put two networks in one namespace.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(FuzzHostCollection.Name)]
public sealed class FuzzFindingsTests(FuzzHostFixture fixture)
{
    private const string NetworkA = "a1f0000000000000000000000000000000000000000000000000000000000001";
    private const string NetworkB = "a1f0000000000000000000000000000000000000000000000000000000000002";

    [Theory]
    [InlineData("POST", "/NetworkDriver.Nope", "{}", "does not implement")]
    [InlineData("PUT", "/NetworkDriver.Join", "{}", "does not implement PUT")]
    [InlineData("POST", "/NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n1\",\"IPv4Data\":[null]}", "null entry")]
    [InlineData("POST", "/NetworkDriver.Join", "{\"\":{}}", "NetworkID is missing")]
    [InlineData("POST", "/NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n1\",\"Options\":{\"com.docker.network.generic\":{\"dnp.vni\":\"\\ud800\"}},\"IPv4Data\":[{\"Pool\":\"10.91.0.0/24\"}]}", "not valid Unicode")]
    [InlineData("POST", "/NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n1\",\"Options\":{\"com.docker.network.generic\":{\"\\udfff\":\"1\"}},\"IPv4Data\":[{\"Pool\":\"10.91.0.0/24\"}]}", "not valid Unicode")]
    public async Task BadRequest_GetsAClearJsonError(string verb, string path, string body, string mentions)
    {
        var reply = await SendAsync(new HttpMethod(verb), path, Encoding.UTF8.GetBytes(body));

        AssertClearError(reply, mentions);
    }

    [Fact]
    public async Task InvalidUtf8Body_GetsAClearJsonError()
    {
        var reply = await SendAsync(HttpMethod.Post, "/NetworkDriver.CreateNetwork", [0x7b, 0x22, 0x4e, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]);

        AssertClearError(reply, "not valid UTF-8");
    }

    [Fact]
    public async Task NetworkTooLargeToStore_SaysSoAndDoesNotBlameTheStore()
    {
        var options = $"{{\"com.docker.network.generic\":{{\"user.option\":\"{new string('o', 600_000)}\"}}}}";
        var body = $"{{\"NetworkID\":\"{NetworkA}\",\"Options\":{options},\"IPv4Data\":[{{\"Pool\":\"10.91.0.0/24\",\"Gateway\":\"10.91.0.1/24\"}}]}}";

        var reply = await SendAsync(HttpMethod.Post, "/NetworkDriver.CreateNetwork", Encoding.UTF8.GetBytes(body));

        AssertClearError(reply, "too large to store");
        Assert.DoesNotContain("store unavailable", reply.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnpNetworkNamesSharingAPrefix_GetTheirOwnNamespaces()
    {
        try
        {
            await JoinOneEndpointAsync(NetworkA, "production-net-a", "10.92.0");
            await JoinOneEndpointAsync(NetworkB, "production-net-b", "10.93.0");
            var status = (await fixture.Host.ExecAsync(PluginBinary.Path, "status", "--json")).EnsureSuccess().StdOut;
            using var json = JsonDocument.Parse(status);
            var sandboxes = json.RootElement.GetProperty("networks").EnumerateArray()
                .Select(n => (Logical: n.GetProperty("logicalId").GetString(), Sandbox: n.GetProperty("sandbox").GetString())).ToList();

            Assert.Equal(2, sandboxes.Count);
            Assert.NotEqual(sandboxes[0].Sandbox, sandboxes[1].Sandbox);
            Assert.Equal(2, Directory.GetFiles(fixture.Host.NetnsDir).Length);
        }
        finally
        {
            foreach (var network in new[] { NetworkA, NetworkB })
            {
                await SendAsync(HttpMethod.Post, "/NetworkDriver.Leave", Json($"{{\"NetworkID\":\"{network}\",\"EndpointID\":\"e-{network}\"}}"));
                await SendAsync(HttpMethod.Post, "/NetworkDriver.DeleteNetwork", Json($"{{\"NetworkID\":\"{network}\"}}"));
            }
        }
        Assert.Empty(Directory.GetFiles(fixture.Host.NetnsDir));
    }

    private async Task JoinOneEndpointAsync(string network, string logicalName, string prefix)
    {
        var create = $"{{\"NetworkID\":\"{network}\",\"Options\":{{\"com.docker.network.generic\":{{\"dnp.network\":\"{logicalName}\"}}}},\"IPv4Data\":[{{\"Pool\":\"{prefix}.0/24\",\"Gateway\":\"{prefix}.1/24\"}}]}}";
        var endpoint = $"{{\"NetworkID\":\"{network}\",\"EndpointID\":\"e-{network}\",\"Interface\":{{\"Address\":\"{prefix}.2/24\",\"AddressIPv6\":\"\",\"MacAddress\":\"\"}}}}";
        var join = $"{{\"NetworkID\":\"{network}\",\"EndpointID\":\"e-{network}\",\"SandboxKey\":\"/var/run/docker/netns/x\"}}";
        foreach (var (path, body) in new[] { ("/NetworkDriver.CreateNetwork", create), ("/NetworkDriver.CreateEndpoint", endpoint), ("/NetworkDriver.Join", join) })
        {
            var reply = await SendAsync(HttpMethod.Post, path, Json(body));
            Assert.True(reply.Status == 200 && !reply.BodyText.Contains("\"Err\"", StringComparison.Ordinal), $"{path}: {reply.BodyText}");
        }
    }

    private async Task<PluginReply> SendAsync(HttpMethod verb, string path, byte[] body)
    {
        using var client = new PluginClient(fixture.Host.PluginSocketPath, TimeSpan.FromSeconds(30));
        var reply = await client.SendAsync(verb, path, body, CancellationToken.None);
        Assert.True(fixture.Host.IsProcessRunning(SimHost.PluginProcessName), "the plugin died on " + path);
        return reply;
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static void AssertClearError(PluginReply reply, string mentions)
    {
        Assert.True(reply.Answered, reply.TransportError);
        Assert.True(reply.Status < 500, $"HTTP {reply.Status}");
        using var json = JsonDocument.Parse(reply.Body);
        var message = json.RootElement.TryGetProperty("Err", out var err) ? err.GetString() : json.RootElement.GetProperty("Error").GetString();
        Assert.Contains(mentions, message, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", message, StringComparison.Ordinal);
    }
}
