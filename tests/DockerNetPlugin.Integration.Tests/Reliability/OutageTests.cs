using System.Diagnostics;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// What users of earlier overlay plugins lost: connectivity during a plugin crash or a store outage, endpoints after
/// a daemon restart, entries deleted by hand. Each scenario checks what a user sees: pings, errors, `dnp doctor`.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class OutageTests(TwoHostOutageFixture fixture, ITestOutputHelper output) : IClassFixture<TwoHostOutageFixture>
{
    private HostScenario H1 => new(fixture.Bed.Hosts[0]);
    private HostScenario H2 => new(fixture.Bed.Hosts[1]);

    [Fact]
    public async Task PluginKilledWhileContainersPingEvery20ms_NoReplyLost_DoctorCleanAfterRestart()
    {
        var (ip1, ip2) = await TwoContainersAsync("crash", "10.50.0.0/24");
        try
        {
            var pings = H1.ExecAsync("crash-1", "ping", "-i", "0.02", "-c", "400", "-W", "5", ip2); // 8 s of pings
            await Task.Delay(1500);
            await fixture.Bed.Hosts[0].StopPluginAsync(kill9: true);
            await Task.Delay(2000);
            await fixture.Bed.Hosts[0].StartPluginAsync(PluginBinary.Path, fixture.Bed.Options.PluginEnvironment);
            var result = await pings;

            output.WriteLine(PingRun.Summary(result));
            Assert.True(result.StdOut.Contains("400 packets transmitted, 400 packets received, 0% packet loss", StringComparison.Ordinal), "every reply arrives: " + PingRun.Summary(result));
            // The restarted plugin may still be starting (it answers 503 until its driver runs): ask until it answers.
            Assert.True(await Eventually.HoldsAsync(async () => (await DoctorAsync(H1)).Succeeded, TimeSpan.FromSeconds(30)),
                "dnp doctor after the restart must report no drift: " + await DoctorTextAsync(H1));
            Assert.True((await H2.PingAsync("crash-2", ip1)).Succeeded, "h2 still reaches h1's container");
        }
        finally
        {
            await RemoveAsync("crash");
        }
    }

    [Fact]
    public async Task EtcdStoppedFor30s_PingsContinue_DockerRunFailsNamingTheStore_AllConvergeAfter()
    {
        var (_, ip2) = await TwoContainersAsync("outage", "10.51.0.0/24");
        var etcd = fixture.Bed.Etcd!;
        try
        {
            var pings = H1.ExecAsync("outage-1", "ping", "-i", "0.02", "-c", "2000", "-W", "5", ip2); // 40 s of pings
            await Task.Delay(2000);
            await etcd.StopAsync();
            var outage = Stopwatch.StartNew();

            var started = Stopwatch.StartNew();
            var refused = await fixture.Bed.Hosts[0].DockerAsync(["run", "-d", "--name", "outage-new", "--network", "outage", HostScenario.Image, "sleep", "3600"],
                CancellationToken.None, TimeSpan.FromSeconds(60));
            var refusedAfter = started.Elapsed;
            output.WriteLine($"docker run during the outage failed after {refusedAfter.TotalSeconds:F1} s: {refused.StdErr.Trim()}");
            Assert.False(refused.Succeeded, "docker run must fail while the store is down");
            Assert.Contains(etcd.Address.ToString(), refused.StdErr, StringComparison.Ordinal);
            Assert.True(refusedAfter < TimeSpan.FromSeconds(15), $"docker run must fail within 15 s, took {refusedAfter.TotalSeconds:F1} s");

            await Task.Delay(TimeSpan.FromSeconds(30) - outage.Elapsed);
            await etcd.StartAsync();
            var result = await pings;
            Assert.True(result.StdOut.Contains("2000 packets transmitted, 2000 packets received, 0% packet loss", StringComparison.Ordinal), "every reply arrives: " + PingRun.Summary(result));

            // After the outage: new containers on both hosts get distinct addresses and reach each other and the old ones.
            await H1.RemoveAsync(["outage-new"]);
            await Task.WhenAll(H1.RunAsync("outage-3", "outage"), H2.RunAsync("outage-4", "outage"));
            var ip3 = await H1.IpOfAsync("outage-3", "outage");
            var ip4 = await H2.IpOfAsync("outage-4", "outage");
            var ip1 = await H1.IpOfAsync("outage-1", "outage");
            Assert.Equal(4, new[] { ip1, ip2, ip3, ip4 }.Distinct().Count());
            Assert.True((await H1.PingEventuallyAsync("outage-3", ip4)).Succeeded, "new containers reach each other across hosts");
            Assert.True((await H2.PingEventuallyAsync("outage-4", ip1)).Succeeded, "new containers reach old ones across hosts");
        }
        finally
        {
            if (!etcd.IsRunning)
                await etcd.StartAsync();
            await H1.RemoveAsync(["outage-new", "outage-3"]);
            await H2.RemoveAsync(["outage-4"]);
            await RemoveAsync("outage");
        }
    }

    [Fact]
    public async Task EntriesDeletedByHand_DoctorReportsDrift_RepairRestoresThem()
    {
        var (_, ip2) = await TwoContainersAsync("drift", "10.52.0.0/24");
        try
        {
            var mac2 = OverlayTables.MacOf(ip2);
            var vtep2 = fixture.Bed.Hosts[1].UnderlayIp.ToString();
            Assert.True((await DoctorAsync(H1)).Succeeded, "clean before the entries are deleted");
            (await H1.InOverlayAsync("drift", "ip", "neigh", "del", ip2, "dev", "vxlan0")).EnsureSuccess();
            (await H1.InOverlayAsync("drift", "bridge", "fdb", "del", mac2, "dev", "vxlan0", "dst", vtep2, "self")).EnsureSuccess();
            var stale = "10.52.0.200";
            (await H1.InOverlayAsync("drift", "ip", "neigh", "add", stale, "lladdr", "02:42:0a:34:00:c8", "dev", "vxlan0", "nud", "permanent")).EnsureSuccess();

            var found = await DoctorAsync(H1);
            Assert.Equal(1, found.ExitCode);
            Assert.Contains("neighbour-missing", found.StdOut, StringComparison.Ordinal);
            Assert.Contains("neighbour-stale", found.StdOut, StringComparison.Ordinal);
            Assert.Contains(stale, found.StdOut, StringComparison.Ordinal);

            var repaired = await DoctorAsync(H1, "--repair");
            Assert.True(repaired.Succeeded, "dnp doctor --repair leaves no drift: " + repaired.StdOut + repaired.StdErr);
            var neigh = (await H1.InOverlayAsync("drift", "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut;
            var fdb = OverlayTables.RemoteFdb((await H1.InOverlayAsync("drift", "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
            Assert.Contains($"{ip2} lladdr {mac2} PERMANENT", neigh, StringComparison.Ordinal);
            Assert.DoesNotContain(stale, neigh, StringComparison.Ordinal);
            Assert.Contains(fdb, l => l.StartsWith(mac2, StringComparison.Ordinal) && l.Contains($"dst {vtep2} ", StringComparison.Ordinal));
            Assert.True((await DoctorAsync(H1)).Succeeded, "dnp doctor reports clean afterwards");
        }
        finally
        {
            await RemoveAsync("drift");
        }
    }

    [Fact]
    public async Task DockerdRestarted_RestartAlwaysContainerComesBackWithConnectivity_NothingLeaks()
    {
        string[] options = ["--subnet", "10.53.0.0/24", "-o", "dnp.network=restart", "--ipam-opt", "dnp.network=restart"];
        await H1.CreateNetworkAsync("restart", options);
        await H2.CreateNetworkAsync("restart", options);
        try
        {
            (await fixture.Bed.Hosts[0].DockerAsync("run", "-d", "--restart", "always", "--name", "restart-1", "--network", "restart", HostScenario.Image, "sleep", "3600")).EnsureSuccess();
            await H2.RunAsync("restart-2", "restart");
            var ip2 = await H2.IpOfAsync("restart-2", "restart");
            Assert.True((await H1.PingEventuallyAsync("restart-1", ip2)).Succeeded, "connected before the restart");

            await fixture.Bed.Hosts[0].RestartDockerdAsync();
            Assert.True(await Eventually.HoldsAsync(async () =>
                (await fixture.Bed.Hosts[0].DockerAsync("inspect", "-f", "{{.State.Running}}", "restart-1")).StdOut.Trim() == "true", TimeSpan.FromSeconds(60)),
                "the --restart always container runs again");
            var ip1 = await H1.IpOfAsync("restart-1", "restart");
            Assert.True((await H1.PingEventuallyAsync("restart-1", ip2)).Succeeded, "h1 → h2 after dockerd restarted");
            Assert.True((await H2.PingEventuallyAsync("restart-2", ip1)).Succeeded, "h2 → h1 after dockerd restarted");

            // The endpoint the old container had is gone everywhere: what Docker forgot, repair removes (once Docker's
            // view has shown it missing twice, some seconds apart).
            Assert.True(await Eventually.HoldsAsync(async () => (await DoctorAsync(H1, "--repair")).Succeeded, TimeSpan.FromSeconds(40)),
                "no drift remains on h1: " + await DoctorTextAsync(H1));
            var peers = OverlayTables.Neighbours((await H2.InOverlayAsync("restart", "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
            Assert.Single(peers);
            var devices = await H1.PluginDevicesInHostAsync();
            Assert.Empty(devices);
        }
        finally
        {
            await H1.RemoveAsync(["restart-1"], "restart");
            await H2.RemoveAsync(["restart-2"], "restart");
        }
    }

    [Fact]
    public async Task DockerdRestartedWithLiveRestore_ContainerKeepsRunningAndEveryPingIsAnswered()
    {
        var host = fixture.Bed.Hosts[0];
        var config = Path.Combine(host.EtcDockerDir, "daemon.json");
        await File.WriteAllTextAsync(config, "{\"live-restore\": true}\n");
        await host.RestartDockerdAsync();
        try
        {
            var (ip1, ip2) = await TwoContainersAsync("live", "10.54.0.0/24");
            // Pinged from host 2: an exec through host 1's dockerd would lose its stream when that dockerd restarts.
            var pings = H2.ExecAsync("live-2", "ping", "-i", "0.05", "-c", "300", "-W", "5", ip1); // 15 s of pings
            await Task.Delay(1500);
            await host.RestartDockerdAsync();
            var result = await pings;

            Assert.True(result.StdOut.Contains("300 packets transmitted, 300 packets received, 0% packet loss", StringComparison.Ordinal), "every reply arrives: " + PingRun.Summary(result));
            Assert.Equal(ip1, await H1.IpOfAsync("live-1", "live"));
            Assert.True((await H1.PingAsync("live-1", ip2)).Succeeded, "the live-restored container still reaches h2");
            Assert.True(await Eventually.HoldsAsync(async () => (await DoctorAsync(H1)).Succeeded, TimeSpan.FromSeconds(30)), "no drift: " + await DoctorTextAsync(H1));
        }
        finally
        {
            await RemoveAsync("live");
            await File.WriteAllTextAsync(config, "{}\n");
            await host.RestartDockerdAsync();
        }
    }

    [Fact]
    public async Task PluginKilledWhileDockerCallsIt_NoStuckContainer_NoLeakAfterRepair()
    {
        string[] options = ["--subnet", "10.55.0.0/24", "-o", "dnp.network=midcall", "--ipam-opt", "dnp.network=midcall"];
        await H1.CreateNetworkAsync("midcall", options);
        var names = Enumerable.Range(1, 6).Select(i => $"midcall-{i}").ToArray();
        try
        {
            var runs = names.Select(n => fixture.Bed.Hosts[0].DockerAsync(["run", "-d", "--name", n, "--network", "midcall", HostScenario.Image, "sleep", "3600"],
                CancellationToken.None, TimeSpan.FromSeconds(120))).ToList();
            await Task.Delay(700);
            await fixture.Bed.Hosts[0].StopPluginAsync(kill9: true);
            await Task.Delay(1000);
            await fixture.Bed.Hosts[0].StartPluginAsync(PluginBinary.Path, fixture.Bed.Options.PluginEnvironment);
            var results = await Task.WhenAll(runs);
            output.WriteLine($"{results.Count(r => r.Succeeded)} of {names.Length} docker run calls succeeded across the crash");

            // Nothing is stuck: every container can be removed, and what did start has a working network.
            foreach (var (name, run) in names.Zip(results))
            {
                if (run.Succeeded && (await fixture.Bed.Hosts[0].DockerAsync("inspect", "-f", "{{.State.Running}}", name)).StdOut.Trim() == "true")
                    Assert.True((await H1.PingEventuallyAsync(name, "10.55.0.1")).Succeeded, $"{name} started across the crash and reaches its gateway");
            }
            foreach (var name in names)
                Assert.True((await fixture.Bed.Hosts[0].DockerAsync(["rm", "-f", name], CancellationToken.None, TimeSpan.FromSeconds(60))).ExitCode is 0 or 1, $"docker rm -f {name} returns");
            Assert.True(await Eventually.HoldsAsync(async () => (await DoctorAsync(H1, "--repair")).Succeeded, TimeSpan.FromSeconds(40)), "no drift after repair: " + await DoctorTextAsync(H1));
            Assert.Empty(await H1.PluginDevicesInHostAsync());
            Assert.Empty(Directory.GetFiles(fixture.Bed.Hosts[0].NetnsDir, "dnp-*"));
        }
        finally
        {
            await H1.RemoveAsync(names, "midcall");
        }
    }

    [Fact]
    public async Task PluginDownWhileAContainerIsRemoved_ItsLeakedAddressIsFoundAndReleased()
    {
        const string ip = "10.57.0.20";
        string[] options = ["--subnet", "10.57.0.0/24", "-o", "dnp.network=leak", "--ipam-opt", "dnp.network=leak"];
        await H1.CreateNetworkAsync("leak", options);
        await H2.CreateNetworkAsync("leak", options);
        var h1 = fixture.Bed.Hosts[0];
        var pluginDown = false;
        try
        {
            (await h1.DockerAsync("run", "-d", "--name", "leak-1", "--network", "leak", "--ip", ip, HostScenario.Image, "sleep", "3600")).EnsureSuccess();
            await h1.StopPluginAsync(kill9: true);
            pluginDown = true;
            var removal = Stopwatch.StartNew();
            var rm = await h1.DockerAsync(["rm", "-f", "leak-1"], CancellationToken.None, TimeSpan.FromSeconds(300));
            output.WriteLine($"docker rm -f with the plugin down: exit {rm.ExitCode} after {removal.Elapsed.TotalSeconds:F0} s");
            Assert.True(rm.Succeeded, "Docker removes the container without the plugin: " + rm.StdErr);

            // Docker's ReleaseAddress never reached the plugin: the address stays held by h1, so no host can use it.
            var refused = await H2.Host.DockerAsync("run", "-d", "--name", "leak-2", "--network", "leak", "--ip", ip, HostScenario.Image, "sleep", "3600");
            Assert.False(refused.Succeeded, "the leaked address is still allocated while h1's plugin is down");
            Assert.Contains($"{ip} is already allocated", refused.StdErr, StringComparison.Ordinal);
            await H2.RemoveAsync(["leak-2"]);

            // The restarted plugin's reconciliation (or doctor --repair) finds it unused by any endpoint of h1's Docker and releases it.
            await h1.StartPluginAsync(PluginBinary.Path, fixture.Bed.Options.PluginEnvironment);
            pluginDown = false;
            Assert.True(await AddressHeldAsync(ip), $"{ip} is held in the IPAM after the lost ReleaseAddress");
            Assert.True(await Eventually.HoldsAsync(async () => (await DoctorAsync(H1, "--repair")).Succeeded && !await AddressHeldAsync(ip), TimeSpan.FromSeconds(90)),
                "the leaked address is released: " + await DoctorTextAsync(H1));
            var log = await File.ReadAllTextAsync(h1.LogPath(SimHost.PluginProcessName));
            Assert.Contains($"Released {ip} in pool 10.57.0.0/24: this host held it but no endpoint of its Docker uses it", log, StringComparison.Ordinal);
            Assert.Contains($"reconciliation repaired 10.57.0.0/24 address-leaked {ip}", log, StringComparison.Ordinal);

            (await H2.Host.DockerAsync("run", "-d", "--name", "leak-2", "--network", "leak", "--ip", ip, HostScenario.Image, "sleep", "3600")).EnsureSuccess();
            Assert.Equal(ip, await H2.IpOfAsync("leak-2", "leak"));
            Assert.True((await DoctorAsync(H1)).Succeeded, "h1 clean after the address moved to h2: " + await DoctorTextAsync(H1));
        }
        finally
        {
            if (pluginDown)
                await h1.StartPluginAsync(PluginBinary.Path, fixture.Bed.Options.PluginEnvironment);
            await H1.RemoveAsync(["leak-1"], "leak");
            await H2.RemoveAsync(["leak-2"], "leak");
        }
    }

    /// <summary>Whether any host holds IPv4 <paramref name="ip"/> in the IPAM (its address record in etcd; keys escape '.' as _2e).</summary>
    private async Task<bool> AddressHeldAsync(string ip) =>
        (await fixture.Bed.Etcd!.EtcdctlAsync("get", "--prefix", "--keys-only", "dnp/v1/ipam/addr/")).EnsureSuccess().StdOut
            .Split('\n').Any(k => k.EndsWith("/" + ip.Replace(".", "_2e", StringComparison.Ordinal), StringComparison.Ordinal));

    /// <summary>A manual-mode network on both hosts with one container on each; their IPv4 addresses.</summary>
    private async Task<(string Ip1, string Ip2)> TwoContainersAsync(string name, string subnet)
    {
        string[] options = ["--subnet", subnet, "-o", "dnp.network=" + name, "--ipam-opt", "dnp.network=" + name];
        await H1.CreateNetworkAsync(name, options);
        await H2.CreateNetworkAsync(name, options);
        await Task.WhenAll(H1.RunAsync(name + "-1", name), H2.RunAsync(name + "-2", name));
        var ip1 = await H1.IpOfAsync(name + "-1", name);
        var ip2 = await H2.IpOfAsync(name + "-2", name);
        Assert.True((await H1.PingEventuallyAsync(name + "-1", ip2)).Succeeded, $"{name}: h1 → h2 before the scenario");
        return (ip1, ip2);
    }

    private async Task RemoveAsync(string name)
    {
        await H1.RemoveAsync([name + "-1"], name);
        await H2.RemoveAsync([name + "-2"], name);
    }

    private static async Task<string> DoctorTextAsync(HostScenario h)
    {
        var doctor = await DoctorAsync(h);
        return doctor.StdOut + doctor.StdErr;
    }

    private static Task<CommandResult> DoctorAsync(HostScenario h, params string[] extra) =>
        h.Host.ExecAsync([PluginBinary.Path, "doctor", .. extra], CancellationToken.None);
}
