using System.Globalization;
using DockerNetPlugin.Integration.Tests.SingleHost;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Engines;

/// <summary>
/// What Docker 27/28 do differently around a remote driver (docker-versions.md B.1), on two hosts running sid's
/// docker.io 28.5: <c>--ipv4=false</c>, the gratuitous-ARP network options and endpoint sysctls, the gateway that still
/// comes from dnp's IPAM (dnp does not ask for GwAllocCheck; 28's <c>network inspect</c> no longer shows that gateway),
/// Leave/DeleteEndpoint of endpoints dnp already forgot when a crashed daemon starts again, and Compose's
/// <c>interface_name</c>, which Docker ignores for remote drivers.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class Docker28BehaviourTests(Docker28Fixture fixture, ITestOutputHelper output) : IClassFixture<Docker28Fixture>
{
    private static readonly TimeSpan s_converge = TimeSpan.FromSeconds(30);

    private HostScenario H1 => new(fixture.Bed.Hosts[0]);

    private HostScenario H2 => new(fixture.Bed.Hosts[1]);

    [Fact]
    public async Task Ipv4FalseNetwork_IsRefusedClearly_AndItsIpv6PoolIsFreeAgain()
    {
        EngineCheck.AssertRunsSelectedEngine(fixture.Bed, output);
        try
        {
            var refused = await H1.TryCreateNetworkAsync("v6only", "--ipv4=false", "--ipv6", "--subnet", "fd00:51::/64");

            Assert.False(refused.Succeeded, "an IPv6-only network is refused: " + refused);
            Assert.Contains("IPv6-only networks (--ipv4=false) are not supported by dnp", refused.StdErr, StringComparison.Ordinal);
            Assert.False(await H1.NetworkExistsAsync("v6only"));
            // Nothing half-built: the IPv6 pool Docker asked dnp's IPAM for is free for a dual-stack network.
            await H1.CreateNetworkAsync("dual", "--subnet", "10.51.0.0/24", "--ipv6", "--subnet", "fd00:51::/64");
            await H2.AssertNetworkAppearsAsync("dual", s_converge);
        }
        finally
        {
            await H1.RemoveAsync([], "v6only", "dual");
        }
    }

    [Fact]
    public async Task GratuitousArpOptionsAndEndpointSysctls_AreAccepted_ContainersPingAcrossHosts()
    {
        // Only this test's calls: the class's other tests share h1's log and make calls fail on purpose (--ipv4=false).
        var before = PluginLogLines(0).Count;
        var logicalId = await H1.CreateNetworkAsync("garp", "--subnet", "10.52.0.0/24",
            "-o", "com.docker.network.advertise_addr_nmsgs=3", "-o", "com.docker.network.advertise_addr_ms=300");
        try
        {
            await H2.AssertNetworkAppearsAsync("garp", s_converge);
            await H1.RunAsync("garp-0", "garp"); // the overlay namespace exists from the first container on
            // Docker 28 announces every address it configures: the ARPs cross br0 of the overlay namespace.
            const string Ip1 = "10.52.0.50";
            var capture = H1.InOverlayAsync(logicalId, "timeout", "40", "tcpdump", "-c", "2", "-i", "br0", "-n", "-e", "-l", "arp", "and", "ether", "src", OverlayTables.MacOf(Ip1));
            await Task.Delay(1500); // tcpdump is listening
            (await H1.Host.DockerAsync("run", "-d", "--name", "garp-1", "--network",
                $"name=garp,ip={Ip1},driver-opt=com.docker.network.endpoint.sysctls=net.ipv4.conf.IFNAME.log_martians=1", HostScenario.Image, "sleep", "3600")).EnsureSuccess();
            await H2.RunAsync("garp-2", "garp");
            var arps = await capture;
            var ip1 = await H1.IpOfAsync("garp-1", "garp");
            var ip2 = await H2.IpOfAsync("garp-2", "garp");

            output.WriteLine(arps.ToString());
            // Broadcast ARPs from garp-1's MAC, 300 ms apart (28.5 sends them with sender 0.0.0.0). Of the 3 asked for, the
            // first can leave before its veth forwards on a busy host: 2 must arrive.
            Assert.Equal(Ip1, ip1);
            Assert.True(arps.Succeeded, "2 of 3 unsolicited ARPs from garp-1 on br0: " + arps);
            Assert.Equal(2, arps.StdOut.Split('\n').Count(l => l.Contains($"{OverlayTables.MacOf(ip1)} > ff:ff:ff:ff:ff:ff", StringComparison.Ordinal)));
            Assert.Equal("1", (await H1.ExecAsync("garp-1", "cat", "/proc/sys/net/ipv4/conf/eth0/log_martians")).EnsureSuccess().StdOut.Trim());
            Assert.True((await H1.PingEventuallyAsync("garp-1", ip2)).Succeeded, "garp-1 → garp-2 across hosts");
            Assert.True((await H2.PingEventuallyAsync("garp-2", ip1)).Succeeded, "garp-2 → garp-1 across hosts");
            Assert.DoesNotContain(PluginLogLines(0).Skip(before), l => l.Contains(" failed in ", StringComparison.Ordinal) && l.Contains("NetworkDriver.", StringComparison.Ordinal));
        }
        finally
        {
            await H1.RemoveAsync(["garp-0", "garp-1"]);
            await H2.RemoveAsync(["garp-2"]);
            await H1.RemoveAsync([], "garp");
        }
    }

    [Fact]
    public async Task Gateway_ComesFromDnpIpam_BecauseDnpDoesNotAskForGwAllocCheck()
    {
        var capabilities = await PluginSocket.PostAsync(fixture.Bed.Hosts[0].PluginSocketPath, "/NetworkDriver.GetCapabilities", "");
        var logicalId = await H1.CreateNetworkAsync("gw", "--subnet", "10.53.0.0/24");
        try
        {
            await H1.RunAsync("gw-1", "gw"); // the overlay namespace (and br0) exist from the first container on
            output.WriteLine("docker network inspect: " + await H1.InspectNetworkAsync("gw", "{{json .IPAM}}")); // 28: only the user's Subnet
            var br0 = (await H1.InOverlayAsync(logicalId, "ip", "-4", "-o", "addr", "show", "br0")).EnsureSuccess().StdOut;
            var pluginLog = PluginLogLines(0);
            // The body Docker 28 would send if dnp said GwAllocChecker: true (the CreateNetwork options).
            var check = await PluginSocket.PostAsync(fixture.Bed.Hosts[0].PluginSocketPath, "/NetworkDriver.GwAllocCheck",
                """{"Options":{"com.docker.network.enable_ipv4":true,"com.docker.network.enable_ipv6":false,"com.docker.network.generic":{}}}""");

            Assert.Contains("\"GwAllocChecker\":false", capabilities, StringComparison.Ordinal);
            Assert.Contains("inet 10.53.0.1/24", br0, StringComparison.Ordinal);
            Assert.Contains(pluginLog, l => l.Contains("Allocated 10.53.0.1 (Gateway)", StringComparison.Ordinal));
            Assert.DoesNotContain(pluginLog, l => l.Contains("GwAllocCheck", StringComparison.Ordinal)); // Docker never asked
            Assert.Equal("""{"SkipIPv4":false,"SkipIPv6":false}""", check);
        }
        finally
        {
            await H1.RemoveAsync(["gw-1"], "gw");
        }
    }

    [Fact]
    public async Task DaemonCrashed_AndDnpAlreadyForgotTheEndpoint_RestartSendsLeaveAndDeleteEndpoint_AnsweredOk()
    {
        var h2 = fixture.Bed.Hosts[1];
        await H1.CreateNetworkAsync("crash", "--subnet", "10.54.0.0/24");
        try
        {
            await H2.AssertNetworkAppearsAsync("crash", s_converge);
            await H1.RunAsync("crash-1", "crash");
            await H2.RunAsync("crash-2", "crash");
            var networkId = (await h2.DockerAsync("network", "inspect", "-f", "{{.Id}}", "crash")).EnsureSuccess().StdOut.Trim();
            var endpointId = (await h2.DockerAsync("inspect", "-f", "{{(index .NetworkSettings.Networks \"crash\").EndpointID}}", "crash-2")).EnsureSuccess().StdOut.Trim();
            var pid = int.Parse((await h2.DockerAsync("inspect", "-f", "{{.State.Pid}}", "crash-2")).EnsureSuccess().StdOut.Trim(), CultureInfo.InvariantCulture);

            // The host's daemon and the container die together; dnp had already torn the endpoint down.
            await h2.StopDockerdAsync(kill9: true);
            (await h2.ExecAsync("kill", "-9", pid.ToString(CultureInfo.InvariantCulture))).EnsureSuccess();
            var ids = $$"""{"NetworkID":"{{networkId}}","EndpointID":"{{endpointId}}"}""";
            Assert.Equal("{}", await PluginSocket.PostAsync(h2.PluginSocketPath, "/NetworkDriver.Leave", ids));
            Assert.Equal("{}", await PluginSocket.PostAsync(h2.PluginSocketPath, "/NetworkDriver.DeleteEndpoint", ids));
            var before = PluginLogLines(1).Count;

            await h2.StartDockerdAsync();
            var endpointTag = $"{networkId[..12]}/{endpointId[..12]}";
            var teardown = await Eventually.HoldsAsync(() => Task.FromResult(PluginLogLines(1).Skip(before).Any(l => l.Contains("NetworkDriver.DeleteEndpoint " + endpointTag, StringComparison.Ordinal))), s_converge);
            var calls = PluginLogLines(1).Skip(before).Where(l => l.Contains(endpointTag, StringComparison.Ordinal)).ToList();
            output.WriteLine(string.Join('\n', calls));

            Assert.True(teardown, "Docker 28 sends DeleteEndpoint for the dead container's endpoint when it starts again");
            Assert.All(calls, l => Assert.Contains(" ok in ", l, StringComparison.Ordinal));
            (await h2.DockerAsync("start", "crash-2")).EnsureSuccess();
            var ip1 = await H1.IpOfAsync("crash-1", "crash");
            Assert.True((await H2.PingEventuallyAsync("crash-2", ip1)).Succeeded, "the restarted container reaches h1 again");
        }
        finally
        {
            await H1.RemoveAsync(["crash-1"]);
            await H2.RemoveAsync(["crash-2"]);
            await H1.RemoveAsync([], "crash");
        }
    }

    [Fact]
    public async Task ComposeInterfaceName_IsIgnoredForDnp_TheContainerStillGetsEth0()
    {
        await H1.CreateNetworkAsync("ifn", "--subnet", "10.55.0.0/24");
        var file = Path.Combine(fixture.Bed.RunDirectory, "compose-ifn.yaml");
        await File.WriteAllTextAsync(file, $$"""
            services:
              web:
                image: {{HostScenario.Image}}
                pull_policy: never
                command: ["sleep", "3600"]
                networks:
                  ifn:
                    interface_name: ovl0
            networks:
              ifn:
                external: true
            """);
        string[] compose = ["compose", "-f", file, "-p", "ifn"];
        try
        {
            (await H1.Host.DockerAsync([.. compose, "up", "-d"], CancellationToken.None, TimeSpan.FromSeconds(120))).EnsureSuccess();
            await H1.RunAsync("ifn-peer", "ifn");
            var options = (await H1.Host.DockerAsync("inspect", "-f", "{{json (index .NetworkSettings.Networks \"ifn\").DriverOpts}}", "ifn-web-1")).EnsureSuccess().StdOut;
            var links = (await H1.ExecAsync("ifn-web-1", "ip", "-o", "link")).EnsureSuccess().StdOut;
            var ip = await H1.IpOfAsync("ifn-web-1", "ifn");

            Assert.Contains("\"com.docker.network.endpoint.ifname\":\"ovl0\"", options, StringComparison.Ordinal); // Docker took it ...
            Assert.DoesNotContain("ovl0", links, StringComparison.Ordinal); // ... and the remote driver path ignores it
            Assert.Contains($"eth0@", links, StringComparison.Ordinal);
            Assert.Contains(OverlayTables.MacOf(ip), links, StringComparison.Ordinal);
            Assert.True((await H1.PingEventuallyAsync("ifn-peer", ip)).Succeeded, "the compose service is on the dnp network");
        }
        finally
        {
            await H1.Host.DockerAsync([.. compose, "down"], CancellationToken.None, TimeSpan.FromSeconds(120));
            await H1.RemoveAsync(["ifn-peer"], "ifn");
        }
    }

    /// <summary>The plugin's log lines on host <paramref name="index"/> so far.</summary>
    private List<string> PluginLogLines(int index) =>
        [.. File.ReadAllLines(fixture.Bed.Hosts[index].LogPath(Testbed.SimHost.PluginProcessName))];
}
