using DockerNetPlugin.Integration.Tests.Engines;
using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.SingleHost;

/// <summary>
/// Issue 3 end to end: a real dockerd (Debian docker.io) in a simulated host, the real <c>bin/dnp serve</c>,
/// and what a user sees with the docker CLI and in the kernel.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SingleHostOverlayTests(SingleHostPluginFixture fixture, ITestOutputHelper output) : IClassFixture<SingleHostPluginFixture>
{
    private readonly HostScenario _h = new(fixture.Host);

    [Fact]
    [Trait("Category", "Smoke")]
    public async Task TwoContainers_SameNetwork_PingOverEth0WithOverlayShape()
    {
        EngineCheck.AssertRunsSelectedEngine(fixture.Bed, output);
        var id = await _h.CreateNetworkAsync("e2e-ping", "--subnet", "10.20.0.0/24");
        try
        {
            await _h.RunAsync("ping-a", "e2e-ping");
            await _h.RunAsync("ping-b", "e2e-ping");
            var ipB = await _h.IpOfAsync("ping-b", "e2e-ping");

            var ping = await _h.PingAsync("ping-a", ipB);
            var eth0 = (await _h.ExecAsync("ping-b", "ip", "-o", "link", "show", "eth0")).EnsureSuccess().StdOut;
            var vxlan = (await _h.InOverlayAsync(id, "ip", "-d", "link", "show", "vxlan0")).EnsureSuccess().StdOut;
            var br0 = (await _h.InOverlayAsync(id, "ip", "-o", "addr", "show", "br0")).EnsureSuccess().StdOut;
            var ports = (await _h.InOverlayAsync(id, "ip", "-o", "link", "show", "master", "br0")).EnsureSuccess().StdOut;

            Assert.True(ping.Succeeded, ping.ToString());
            var expectedMac = "02:42:" + string.Join(':', ipB.Split('.').Select(o => int.Parse(o, System.Globalization.CultureInfo.InvariantCulture).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Contains(expectedMac, eth0, StringComparison.Ordinal);
            Assert.Contains("mtu 1450", eth0, StringComparison.Ordinal); // underlay veth 1500 - 50
            foreach (var flag in new[] { "vxlan id", "dstport 4789", "nolearning", "proxy", "l2miss", "l3miss", "mtu 1450", "master br0" })
                Assert.Contains(flag, vxlan, StringComparison.Ordinal);
            Assert.Contains("10.20.0.1/24", br0, StringComparison.Ordinal);
            Assert.Equal(3, ports.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // vxlan0 + one veth per container
        }
        finally
        {
            await _h.RemoveAsync(["ping-a", "ping-b"], "e2e-ping");
        }
        await AssertNothingLeftAsync(id);
    }

    [Fact]
    public async Task Container_OnDnpNetwork_ReachesInternetThroughNatAndServesPublishedPort()
    {
        var internet = fixture.Bed.Internet!;
        var id = await _h.CreateNetworkAsync("e2e-nat", "--subnet", "10.23.0.0/24");
        try
        {
            await _h.RunAsync("nat-web", "e2e-nat", "sh", "-c", "mkdir -p /w && echo published-ok > /w/index.html && httpd -f -p 80 -h /w");
            // -p needs its own run: publish 8080 on a second container
            (await fixture.Host.DockerAsync("run", "-d", "--name", "nat-pub", "--network", "e2e-nat", "-p", "8080:80", HostScenario.Image,
                "sh", "-c", "mkdir -p /w && echo published-ok > /w/index.html && httpd -f -p 80 -h /w")).EnsureSuccess();

            var egress = await _h.ExecAsync("nat-web", "timeout", "8", "wget", "-qO-", internet.WhoAmIUrl);
            var eth1 = await _h.ExecAsync("nat-web", "ip", "-o", "link", "show", "eth1");
            CommandResult published = await internet.HttpGetAsync($"http://{fixture.Host.UnderlayIp}:8080/");
            for (var i = 0; i < 10 && !published.Succeeded; i++)
            {
                await Task.Delay(500);
                published = await internet.HttpGetAsync($"http://{fixture.Host.UnderlayIp}:8080/");
            }

            Assert.True(egress.Succeeded, egress.ToString());
            Assert.Equal(fixture.Host.UnderlayIp.ToString(), egress.StdOut.Trim()); // MASQUERADE: the internet sees the host
            Assert.True(eth1.Succeeded, "a non-internal network gets docker_gwbridge as eth1: " + eth1);
            Assert.Contains("published-ok", published.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            await _h.RemoveAsync(["nat-web", "nat-pub"], "e2e-nat");
        }
        await AssertNothingLeftAsync(id);
    }

    [Fact]
    public async Task InternalNetwork_GivesNoEth1AndNoEgress()
    {
        var id = await _h.CreateNetworkAsync("e2e-internal", "--internal", "--subnet", "10.24.0.0/24");
        try
        {
            await _h.RunAsync("int-a", "e2e-internal");
            await _h.RunAsync("int-b", "e2e-internal");
            var ipB = await _h.IpOfAsync("int-b", "e2e-internal");

            var eth1 = await _h.ExecAsync("int-a", "ip", "-o", "link", "show", "eth1");
            var egress = await _h.ExecAsync("int-a", "timeout", "5", "wget", "-qO-", fixture.Bed.Internet!.IndexUrl);
            var ping = await _h.PingAsync("int-a", ipB);

            Assert.False(eth1.Succeeded, "an --internal network must not get docker_gwbridge: " + eth1);
            Assert.False(egress.Succeeded, "an --internal network must not reach the internet: " + egress);
            Assert.True(ping.Succeeded, "containers on an internal network still reach each other: " + ping);
        }
        finally
        {
            await _h.RemoveAsync(["int-a", "int-b"], "e2e-internal");
        }
        await AssertNothingLeftAsync(id);
    }

    [Fact]
    public async Task TwoDnpNetworks_OnOneHost_AreIsolated()
    {
        var a = await _h.CreateNetworkAsync("e2e-iso-a", "--subnet", "10.25.0.0/24");
        var b = await _h.CreateNetworkAsync("e2e-iso-b", "--subnet", "10.26.0.0/24");
        try
        {
            await _h.RunAsync("iso-a", "e2e-iso-a");
            await _h.RunAsync("iso-b", "e2e-iso-b");
            await _h.RunAsync("iso-a2", "e2e-iso-a");
            var ipB = await _h.IpOfAsync("iso-b", "e2e-iso-b");
            var ipA2 = await _h.IpOfAsync("iso-a2", "e2e-iso-a");

            var across = await _h.PingAsync("iso-a", ipB);
            var within = await _h.PingAsync("iso-a", ipA2);
            var vniA = (await _h.InOverlayAsync(a, "ip", "-d", "link", "show", "vxlan0")).EnsureSuccess().StdOut;
            var vniB = (await _h.InOverlayAsync(b, "ip", "-d", "link", "show", "vxlan0")).EnsureSuccess().StdOut;

            Assert.False(across.Succeeded, "a ping crossed between two dnp networks: " + across);
            Assert.True(within.Succeeded, within.ToString());
            Assert.NotEqual(VniOf(vniA), VniOf(vniB));
        }
        finally
        {
            await _h.RemoveAsync(["iso-a", "iso-b", "iso-a2"], "e2e-iso-a", "e2e-iso-b");
        }
        await AssertNothingLeftAsync(a);
        await AssertNothingLeftAsync(b);
    }

    [Fact]
    public async Task PluginKilledAndRestarted_ContainersKeepConnectivityAndLifecycleStillWorks()
    {
        var id = await _h.CreateNetworkAsync("e2e-restart", "--subnet", "10.27.0.0/24");
        try
        {
            await _h.RunAsync("rs-a", "e2e-restart");
            await _h.RunAsync("rs-b", "e2e-restart");
            var ipB = await _h.IpOfAsync("rs-b", "e2e-restart");

            await fixture.Host.StopPluginAsync(kill9: true);
            var pingWhileDown = await _h.PingAsync("rs-a", ipB);
            await fixture.Host.StartPluginAsync(fixture.Bed.Options.PluginBinaryPath ?? PluginBinary.Path);
            var pingAfter = await _h.PingAsync("rs-a", ipB);
            await _h.RunAsync("rs-c", "e2e-restart");
            var ipC = await _h.IpOfAsync("rs-c", "e2e-restart");
            var pingNew = await _h.PingAsync("rs-a", ipC);
            var rm = await fixture.Host.DockerAsync("rm", "-f", "rs-b");

            Assert.True(pingWhileDown.Succeeded, "the data path must not depend on the plugin process: " + pingWhileDown);
            Assert.True(pingAfter.Succeeded, pingAfter.ToString());
            Assert.True(pingNew.Succeeded, "a container started after the restart must reach the old ones: " + pingNew);
            Assert.True(rm.Succeeded, rm.ToString());
            Assert.NotEqual(ipB, ipC);
        }
        finally
        {
            await _h.RemoveAsync(["rs-a", "rs-b", "rs-c"], "e2e-restart");
        }
        await AssertNothingLeftAsync(id);
    }

    [Fact]
    public async Task NetnsGrace_NextContainerReusesTheNamespace_ThenItGoes_AlsoAcrossARestart()
    {
        var binary = fixture.Bed.Options.PluginBinaryPath ?? PluginBinary.Path;
        var grace = new Dictionary<string, string> { ["DNP_NETNS_GRACE"] = "15" }; // longer than a doctor and a docker run under load
        await fixture.Host.StopPluginAsync();
        await fixture.Host.StartPluginAsync(binary, grace);
        var id = await _h.CreateNetworkAsync("e2e-grace", "--subnet", "10.29.0.0/24");
        try
        {
            await _h.RunAsync("gr-a", "e2e-grace");
            var inode = await NamespaceInodeAsync(id);
            await _h.RemoveAsync(["gr-a"]);

            Assert.Equal("grace", await NetnsStateAsync(id)); // healthy: dnp doctor finds nothing either
            Assert.True((await fixture.Host.ExecAsync(PluginBinary.Path, "doctor")).Succeeded);
            await _h.RunAsync("gr-b", "e2e-grace");
            Assert.Equal(inode, await NamespaceInodeAsync(id)); // the same namespace, not a rebuilt one
            Assert.Equal("open", await NetnsStateAsync(id));
            await _h.RemoveAsync(["gr-b"]);
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!File.Exists(_h.OverlayPath(id))), TimeSpan.FromSeconds(60)),
                "the namespace goes when its grace ends");

            // A plugin killed during the grace period: the restarted one removes the namespace all the same.
            await _h.RunAsync("gr-c", "e2e-grace");
            await _h.RemoveAsync(["gr-c"]);
            await fixture.Host.StopPluginAsync(kill9: true);
            Assert.True(File.Exists(_h.OverlayPath(id)));
            await fixture.Host.StartPluginAsync(binary, grace);
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(!File.Exists(_h.OverlayPath(id))), TimeSpan.FromSeconds(60)),
                "no namespace leaked across the restart");
        }
        finally
        {
            await _h.RemoveAsync(["gr-a", "gr-b", "gr-c"], "e2e-grace");
            await fixture.Host.StopPluginAsync();
            await fixture.Host.StartPluginAsync(binary);
        }
        await AssertNothingLeftAsync(id);
    }

    private async Task<string> NamespaceInodeAsync(string networkId) =>
        (await fixture.Host.ExecAsync("stat", "-L", "-c", "%i", _h.OverlayPath(networkId))).EnsureSuccess().StdOut.Trim();

    private async Task<string?> NetnsStateAsync(string networkId)
    {
        var netns = (await fixture.Host.ExecAsync(PluginBinary.Path, "netns", "--json")).EnsureSuccess().StdOut;
        using var doc = System.Text.Json.JsonDocument.Parse(netns);
        var name = Path.GetFileName(_h.OverlayPath(networkId));
        return doc.RootElement.GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name).GetProperty("state").GetString();
    }

    [Fact]
    public async Task NetworkCreate_WithBadOrClashingInput_FailsClearlyAndLeavesNothing()
    {
        var id = await _h.CreateNetworkAsync("e2e-bad", "--subnet", "10.28.0.0/24");
        try
        {
            var overlap = await _h.TryCreateNetworkAsync("e2e-bad2", "--subnet", "10.28.0.0/25");
            var badVni = await _h.TryCreateNetworkAsync("e2e-bad3", "--subnet", "10.29.0.0/24", "-o", "dnp.vni=12");
            var badMtu = await _h.TryCreateNetworkAsync("e2e-bad4", "--subnet", "10.29.1.0/24", "-o", "com.docker.network.driver.mtu=abc");
            var sameLogical = await _h.TryCreateNetworkAsync("e2e-bad5", "--subnet", "10.28.0.0/24", "-o", "dnp.network=" + id, "--ipam-opt", "dnp.network=" + id);
            (await fixture.Host.DockerAsync("run", "-d", "--name", "bad-a", "--network", "e2e-bad", "--ip", "10.28.0.50", HostScenario.Image, "sleep", "600")).EnsureSuccess();
            var duplicateIp = await fixture.Host.DockerAsync("run", "-d", "--name", "bad-b", "--network", "e2e-bad", "--ip", "10.28.0.50", HostScenario.Image, "sleep", "60");
            var stillServing = await fixture.Host.DockerAsync("network", "ls");

            Assert.False(overlap.Succeeded);
            Assert.Contains("overlap", overlap.StdErr + overlap.StdOut, StringComparison.OrdinalIgnoreCase);
            Assert.False(badVni.Succeeded);
            Assert.Contains("dnp.vni", badVni.StdErr, StringComparison.Ordinal);
            Assert.False(badMtu.Succeeded);
            Assert.Contains("com.docker.network.driver.mtu", badMtu.StdErr, StringComparison.Ordinal);
            Assert.False(sameLogical.Succeeded, "a second Docker network for the same logical network on one host is refused");
            Assert.Contains($"logical network {id} is already on this host as Docker network {id[..12]}", sameLogical.StdErr, StringComparison.Ordinal);
            Assert.False(duplicateIp.Succeeded);
            Assert.Contains("10.28.0.50", duplicateIp.StdErr, StringComparison.Ordinal);
            Assert.True(stillServing.Succeeded);
            Assert.True(fixture.Host.IsProcessRunning(SimHost.PluginProcessName), "the plugin must survive bad input");
            Assert.DoesNotContain(Directory.GetFiles(fixture.Host.NetnsDir), f => !f.EndsWith(id[..12], StringComparison.Ordinal));
        }
        finally
        {
            await _h.RemoveAsync(["bad-a", "bad-b"], "e2e-bad", "e2e-bad2", "e2e-bad3", "e2e-bad4", "e2e-bad5");
        }
        await AssertNothingLeftAsync(id);
    }

    [Theory]
    [InlineData("/NetworkDriver.CreateNetwork", "{not json", "Err", "malformed")]
    [InlineData("/NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n1\",\"IPv4Data\":[{\"Pool\":\"10.9.0.0/33\"}]}", "Err", "10.9.0.0/33")]
    [InlineData("/NetworkDriver.CreateNetwork", "{\"NetworkID\":\"n1\",\"IPv4Data\":[{\"Pool\":\"10.9.0.1/24\"}]}", "Err", "host bits")]
    [InlineData("/NetworkDriver.CreateNetwork", "{\"NetworkID\":123}", "Err", "NetworkID")]
    [InlineData("/NetworkDriver.CreateNetwork", "{\"IPv4Data\":[]}", "Err", "NetworkID is missing")]
    [InlineData("/NetworkDriver.CreateNetwork", "", "Err", "empty")]
    [InlineData("/NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"nosuchnet\",\"EndpointID\":\"e1\",\"Interface\":{\"Address\":\"10.9.0.2/24\"}}", "Err", "not known")]
    [InlineData("/NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"n\",\"EndpointID\":\"e\",\"Interface\":{\"Address\":\"banana\"}}", "Err", "banana")]
    [InlineData("/NetworkDriver.Join", "{\"NetworkID\":\"nosuchnet\",\"EndpointID\":\"e1\"}", "Err", "not known")]
    [InlineData("/NetworkDriver.Leave", "{\"NetworkID\":\"nosuchnet\",\"EndpointID\":\"e1\"}", null, null)]
    [InlineData("/NetworkDriver.DeleteEndpoint", "", null, null)]
    [InlineData("/NetworkDriver.DeleteNetwork", "{\"NetworkID\":\"nosuchnet\"}", null, null)]
    [InlineData("/IpamDriver.RequestPool", "{\"AddressSpace\":\"dnp-local\",\"Pool\":\"not-a-cidr\"}", "Error", "not-a-cidr")]
    [InlineData("/IpamDriver.RequestAddress", "{\"PoolID\":\"dnp-local/10.250.0.0/24\"}", "Error", "10.250.0.0/24")]
    [InlineData("/IpamDriver.RequestAddress", "[1,2]", "Error", "malformed")]
    [InlineData("/IpamDriver.ReleaseAddress", "{\"PoolID\":\"nope\",\"Address\":\"1.2.3.4\"}", null, null)]
    public async Task PluginApi_BadOrUnknownInput_AnswersClearlyAndKeepsRunning(string path, string body, string? errorField, string? mentions)
    {
        var reply = await PostAsync(path, body);

        Assert.StartsWith("{", reply, StringComparison.Ordinal);
        if (errorField is null)
        {
            Assert.Equal("{}", reply);
        }
        else
        {
            Assert.Contains($"\"{errorField}\":", reply, StringComparison.Ordinal);
            Assert.Contains(mentions!, reply, StringComparison.OrdinalIgnoreCase);
        }
        Assert.True(fixture.Host.IsProcessRunning(SimHost.PluginProcessName));
        Assert.DoesNotContain(Directory.GetFiles(fixture.Host.NetnsDir), f => f.Contains("dnp-n1", StringComparison.Ordinal));
    }

    private Task<string> PostAsync(string path, string body) => PluginSocket.PostAsync(fixture.Host.PluginSocketPath, path, body);

    private async Task AssertNothingLeftAsync(string networkId)
    {
        Assert.False(File.Exists(_h.OverlayPath(networkId)), $"overlay namespace of {networkId} is still there");
        Assert.Empty(await _h.PluginDevicesInHostAsync());
        var status = await fixture.Host.ExecAsync(PluginBinary.Path, "status", "--json");
        Assert.DoesNotContain(networkId, status.StdOut, StringComparison.Ordinal);
    }

    private static string VniOf(string details) => details.Split("vxlan id ")[1].Split(' ')[0];
}
