using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Engine.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class DockerEngineClientTests(SingleHostFixture fixture) : IClassFixture<SingleHostFixture>, IDisposable
{
    private readonly DockerEngineClient _client = fixture.Host.CreateEngineClient();

    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose() => _client.Dispose();

    /// <summary>The API version each engine of the test bed serves (DNP_TEST_ENGINE).</summary>
    private static readonly Dictionary<string, string> s_serverApi = new(StringComparer.Ordinal) { ["20.10"] = "1.41", ["26"] = "1.45", ["28"] = "1.51" };

    [Fact]
    public async Task PingAsync_NegotiatesTheLowerOfTheServersVersionAndOurMax()
    {
        var ping = await _client.PingAsync(Ct);

        var server = s_serverApi[fixture.Bed.Engine.Name];
        Assert.Equal(server, ping.ServerApiVersion);
        var expected = Version.Parse(server) < Version.Parse(DockerEngineClient.MaxApiVersion) ? server : DockerEngineClient.MaxApiVersion;
        Assert.Equal(expected, ping.NegotiatedApiVersion);
        Assert.Equal("linux", ping.OsType);
    }

    [Fact]
    public async Task CreateNetworkAsync_BridgeWithIpamAndOptions_InspectListAndRemoveSeeIt()
    {
        var name = "dnpt-net-" + Guid.NewGuid().ToString("N")[..8];
        var id = await _client.CreateNetworkAsync(
            new NetworkCreateRequest
            {
                Name = name,
                Driver = "bridge",
                Ipam = new NetworkIpam
                {
                    Driver = "default",
                    Config = [new IpamPoolConfig { Subnet = "10.231.0.0/24", IpRange = "10.231.0.128/25", Gateway = "10.231.0.1", AuxiliaryAddresses = new Dictionary<string, string> { ["router"] = "10.231.0.2" } }],
                },
                Options = new Dictionary<string, string> { ["com.docker.network.bridge.name"] = "dnptbr0" },
                Labels = new Dictionary<string, string> { ["dnp.test"] = "yes" },
            },
            Ct);

        var inspected = await _client.InspectNetworkAsync(name, Ct);
        var listed = await _client.ListNetworksAsync(new Dictionary<string, string[]> { ["name"] = ["^" + name + "$"] }, Ct);
        var kernel = await fixture.Host.ExecAsync("ip", "-br", "addr", "show", "dnptbr0");
        var removed = await _client.RemoveNetworkAsync(id, Ct);
        var removedAgain = await _client.RemoveNetworkAsync(id, Ct);

        Assert.NotNull(inspected);
        Assert.Equal(id, inspected.Id);
        Assert.Equal(("bridge", "local"), (inspected.Driver, inspected.Scope));
        var pool = Assert.Single(inspected.Ipam!.Config!);
        Assert.Equal(("10.231.0.0/24", "10.231.0.128/25", "10.231.0.1"), (pool.Subnet, pool.IpRange, pool.Gateway));
        Assert.Equal("10.231.0.2", pool.AuxiliaryAddresses!["router"]);
        Assert.Equal("dnptbr0", inspected.Options!["com.docker.network.bridge.name"]);
        Assert.Equal("yes", inspected.Labels!["dnp.test"]);
        Assert.Equal(id, Assert.Single(listed).Id);
        Assert.Contains("10.231.0.1/24", kernel.StdOut, StringComparison.Ordinal);
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Null(await _client.InspectNetworkAsync(id, Ct));
    }

    [Fact]
    public async Task CreateNetworkAsync_DuplicateName_ThrowsConflictWithDaemonMessage()
    {
        var name = "dnpt-dup-" + Guid.NewGuid().ToString("N")[..8];
        var id = await _client.CreateNetworkAsync(new NetworkCreateRequest { Name = name }, Ct);
        try
        {
            var ex = await Assert.ThrowsAsync<DockerConflictException>(() => _client.CreateNetworkAsync(new NetworkCreateRequest { Name = name }, Ct));

            Assert.Contains(name, ex.DaemonMessage, StringComparison.Ordinal);
        }
        finally
        {
            await _client.RemoveNetworkAsync(id, Ct);
        }
    }

    [Fact]
    public async Task InspectAsync_UnknownIds_ReturnNull()
    {
        Assert.Null(await _client.InspectNetworkAsync("dnpt-no-such-network", Ct));
        Assert.Null(await _client.InspectContainerAsync("dnpt-no-such-container", Ct));
    }

    [Fact]
    public async Task CreateNetworkAsync_BadSubnet_ThrowsWithStatusAndMessage()
    {
        var ex = await Assert.ThrowsAsync<DockerEngineException>(() => _client.CreateNetworkAsync(
            new NetworkCreateRequest { Name = "dnpt-bad", Ipam = new NetworkIpam { Config = [new IpamPoolConfig { Subnet = "not-a-cidr" }] } },
            Ct));

        Assert.NotNull(ex.StatusCode);
        Assert.False(string.IsNullOrEmpty(ex.DaemonMessage));
    }

    [Fact]
    public async Task StreamEventsAsync_NetworkCreatedAndRemoved_YieldsCreateAndDestroyWithName()
    {
        var name = "dnpt-ev-" + Guid.NewGuid().ToString("N")[..8];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await _client.CreateNetworkAsync(new NetworkCreateRequest { Name = name }, Ct);
        await _client.RemoveNetworkAsync(id, Ct);

        var seen = new List<DockerEvent>();
        await foreach (var ev in _client.StreamEventsAsync(EventFilter.NetworkLifecycle, since, cts.Token))
        {
            if (ev.Actor.Id == id)
            {
                seen.Add(ev);
            }

            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["create", "destroy"], seen.Select(e => e.Action));
        Assert.All(seen, e => Assert.Equal(("network", name), (e.Type, e.Actor.Attributes["name"])));
    }

    [Fact]
    public async Task ListContainersAsync_RunningBusybox_ListsAndInspectsItsBridgeEndpoint()
    {
        var run = await fixture.Host.DockerAsync("run", "-d", "--name", "dnpt-c1", Testbed.Testbed.ImageName, "sleep", "300");
        var id = run.EnsureSuccess().StdOut.Trim();
        try
        {
            var listed = await _client.ListContainersAsync(false, new Dictionary<string, string[]> { ["name"] = ["dnpt-c1"] }, Ct);
            var inspected = await _client.InspectContainerAsync(id, Ct);

            var summary = Assert.Single(listed);
            Assert.Equal(id, summary.Id);
            Assert.Equal("running", summary.State);
            Assert.NotNull(inspected);
            Assert.True(inspected.State!.Running);
            Assert.True(inspected.State.Pid > 0);
            var endpoint = inspected.NetworkSettings!.Networks!["bridge"];
            Assert.StartsWith("172.17.", endpoint.IpAddress, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(endpoint.EndpointId));
            Assert.Equal(endpoint.EndpointId, summary.NetworkSettings!.Networks!["bridge"].EndpointId);
        }
        finally
        {
            await fixture.Host.DockerAsync("rm", "-f", id);
        }
    }

    [Fact]
    public async Task NamesAfterJoin_AliasRenameConnectDisconnect_SeenThroughInspectAndEvents()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (network, name, renamed) = ("dnpt-names-" + suffix, "dnpt-web-" + suffix, "dnpt-web2-" + suffix);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var networkId = await _client.CreateNetworkAsync(new NetworkCreateRequest { Name = network }, Ct);
        var containerId = "";
        try
        {
            containerId = (await fixture.Host.DockerAsync("run", "-d", "--name", name, "--network", network, "--network-alias", "frontend", Testbed.Testbed.ImageName, "sleep", "300"))
                .EnsureSuccess().StdOut.Trim();
            var inspected = await _client.InspectContainerAsync(containerId, Ct);
            var (networkName, endpoint) = inspected!.EndpointOn(networkId)!.Value;
            var attached = (await _client.InspectNetworkAsync(networkId, Ct))!.FindContainerByEndpoint(endpoint.EndpointId!)!.Value;
            (await fixture.Host.DockerAsync("rename", name, renamed)).EnsureSuccess();
            (await fixture.Host.DockerAsync("network", "disconnect", network, renamed)).EnsureSuccess();

            var seen = new List<DockerEvent>();
            await foreach (var ev in _client.StreamEventsAsync(EventFilter.NameChanges, since, cts.Token))
            {
                if (ev.ContainerId == containerId)
                {
                    seen.Add(ev);
                }

                if (seen.Count == 3)
                {
                    break;
                }
            }

            Assert.Equal((name, network), (inspected.ContainerName, networkName));
            Assert.False(string.IsNullOrEmpty(endpoint.IpAddress));
            Assert.Equal([name, "frontend", containerId[..12]], endpoint.NamesFor(inspected.Name!)); // 20.10: short ID in Aliases
            Assert.Equal((containerId, name), (attached.ContainerId, attached.Container.Name));
            Assert.Equal(["network connect", "container rename", "network disconnect"], seen.Select(e => e.Type + " " + e.Action));
            Assert.Equal(networkId, seen[0].NetworkId);
            Assert.Equal((renamed, name), (seen[1].ContainerName, seen[1].OldContainerName));
        }
        finally
        {
            if (containerId.Length > 0)
            {
                await fixture.Host.DockerAsync("rm", "-f", containerId);
            }

            await _client.RemoveNetworkAsync(networkId, Ct);
        }
    }
}
