using DockerNetPlugin.Integration.Tests.Replication;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Multicast;

/// <summary>
/// <c>-o dnp.multicast=true</c> across three hosts (replicated networks, real etcd): UDP multicast and limited broadcast
/// sent by a container on host 1 reach the containers on hosts 2 and 3, datagram for datagram; on a network without the
/// option nothing crosses; a host that leaves the network (its last container gone, or its lease lapsed) loses its
/// flood entry on the others. Traffic is sent and counted by python3 in the containers' network namespaces.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class MulticastAcrossHostsTests(ThreeHostReplicationFixture fixture) : IClassFixture<ThreeHostReplicationFixture>
{
    private const int Datagrams = 100;
    private const string Group = "239.1.2.3";
    private const string Zero = "00:00:00:00:00:00";
    private static readonly TimeSpan s_converge = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_gap = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_silence = TimeSpan.FromSeconds(6);

    private IReadOnlyList<HostScenario> Hosts => fixture.Bed.Hosts.Select(h => new HostScenario(h)).ToList();

    private string Vtep(int host) => fixture.Bed.Hosts[host].UnderlayIp.ToString();

    [Fact]
    public async Task MulticastNetwork_EveryDatagramReachesHosts2And3_PlainNetworkKeepsThemOnHost1()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        var mc = await h1.CreateNetworkAsync("mc", "--subnet", "10.41.0.0/24", "-o", "dnp.multicast=true");
        var plain = await h1.CreateNetworkAsync("mc-plain", "--subnet", "10.42.0.0/24");
        try
        {
            foreach (var h in new[] { h2, h3 })
            {
                await h.AssertNetworkAppearsAsync("mc", s_converge);
                await h.AssertNetworkAppearsAsync("mc-plain", s_converge);
                Assert.Equal("true", (await h.InspectNetworkAsync("mc", "{{index .Options \"dnp.multicast\"}}")).Trim());
            }
            await Task.WhenAll(Hosts.Select((h, i) => h.RunAsync($"mc-{i + 1}", "mc")));
            await Task.WhenAll(h1.RunAsync("pl-1", "mc-plain"), h1.RunAsync("pl-1b", "mc-plain"), h2.RunAsync("pl-2", "mc-plain"));
            var ips = await Task.WhenAll(Hosts.Select((h, i) => h.IpOfAsync($"mc-{i + 1}", "mc")));
            for (var i = 0; i < 3; i++)
            {
                var others = Enumerable.Range(0, 3).Where(j => j != i).Select(Vtep).ToHashSet();
                var host = Hosts[i];
                Assert.True(await Eventually.HoldsAsync(async () => (await FloodAsync(host, mc)).SetEquals(others), s_converge),
                    $"{host.Host.Name}: one flood entry per other host, got {string.Join(",", await FloodAsync(host, mc))}");
            }
            Assert.Contains("mcast_snooping 0", (await h1.InOverlayAsync(mc, "ip", "-d", "link", "show", "br0")).EnsureSuccess().StdOut, StringComparison.Ordinal);
            using (var status = System.Text.Json.JsonDocument.Parse(await h2.StatusJsonAsync()))
                Assert.True(status.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("logicalId").GetString() == mc).GetProperty("multicast").GetBoolean());

            // Multicast to a group both remote containers joined, then a limited broadcast: every datagram arrives twice over.
            foreach (var (destination, group, port) in new[] { (Group, Group, 5000), ("255.255.255.255", (string?)null, 5001) })
            {
                var receivers = await Task.WhenAll(new[] { 1, 2 }.Select(i =>
                    DatagramProbe.StartReceiverAsync(fixture.Bed.Hosts[i], $"mc-{i + 1}", ips[i], port, group, s_idle, s_silence * 5, CancellationToken.None)));
                var sent = await DatagramProbe.SendAsync(fixture.Bed.Hosts[0], "mc-1", ips[0], destination, port, Datagrams, s_gap, 0, 64, CancellationToken.None);
                var got = await Task.WhenAll(receivers);
                Assert.Equal(Datagrams, sent.Datagrams);
                Assert.All(got, r => Assert.Equal(Datagrams, r.Distinct));
            }

            // Without the option: a container on host 1 gets the group's datagrams over br0, the one on host 2 nothing.
            Assert.Empty(await FloodAsync(h1, plain));
            Assert.Contains("mcast_snooping 1", (await h1.InOverlayAsync(plain, "ip", "-d", "link", "show", "br0")).EnsureSuccess().StdOut, StringComparison.Ordinal);
            var plainIps = await Task.WhenAll(h1.IpOfAsync("pl-1", "mc-plain"), h1.IpOfAsync("pl-1b", "mc-plain"), h2.IpOfAsync("pl-2", "mc-plain"));
            foreach (var (destination, group, port) in new[] { (Group, Group, 5002), ("255.255.255.255", (string?)null, 5003) })
            {
                var local = await DatagramProbe.StartReceiverAsync(fixture.Bed.Hosts[0], "pl-1b", plainIps[1], port, group, s_idle, s_silence * 5, CancellationToken.None);
                var remote = await DatagramProbe.StartReceiverAsync(fixture.Bed.Hosts[1], "pl-2", plainIps[2], port, group, s_idle, s_silence, CancellationToken.None);
                var sent = await DatagramProbe.SendAsync(fixture.Bed.Hosts[0], "pl-1", plainIps[0], destination, port, Datagrams, s_gap, 0, 64, CancellationToken.None);
                Assert.Equal(Datagrams, sent.Datagrams);
                Assert.Equal(Datagrams, (await local).Distinct); // they were sent, and seen on host 1
                Assert.Equal(0, (await remote).Datagrams);
            }
        }
        finally
        {
            await h2.RemoveAsync(["mc-2", "pl-2"]);
            await h3.RemoveAsync(["mc-3"]);
            await h1.RemoveAsync(["mc-1", "pl-1", "pl-1b"], "mc", "mc-plain");
        }
    }

    [Fact]
    public async Task HostLeavingTheNetwork_LosesItsFloodEntryOnTheOthers_LastContainerGoneOrLeaseLapsed()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        var host3 = fixture.Bed.Hosts[2];
        var mc = await h1.CreateNetworkAsync("mc-leave", "--subnet", "10.43.0.0/24", "-o", "dnp.multicast=true");
        try
        {
            foreach (var h in new[] { h2, h3 })
                await h.AssertNetworkAppearsAsync("mc-leave", s_converge);
            await Task.WhenAll(Hosts.Select((h, i) => h.RunAsync($"ml-{i + 1}", "mc-leave")));
            await AssertFloodToHost3Async(mc, present: true, "h3 has a container");

            await h3.RemoveAsync(["ml-3"]);
            await AssertFloodToHost3Async(mc, present: false, "h3's last container is gone");
            await h3.RunAsync("ml-3", "mc-leave");
            await AssertFloodToHost3Async(mc, present: true, "h3 has a container again");

            // h3's plugin dies and its underlay goes: its lease lapses, its records expire, the others drop its flood entry.
            await host3.StopPluginAsync(kill9: true);
            (await host3.ExecAsync("ip", "link", "set", host3.UnderlayInterface, "down")).EnsureSuccess();
            try
            {
                await AssertFloodToHost3Async(mc, present: false, "h3's lease lapsed", ThreeHostReplicationFixture.LeaseTtl * 3 + s_converge);
            }
            finally
            {
                (await host3.ExecAsync("ip", "link", "set", host3.UnderlayInterface, "up")).EnsureSuccess();
                await host3.StartPluginAsync(PluginBinary.Path, fixture.Bed.Options.PluginEnvironment);
            }
            await AssertFloodToHost3Async(mc, present: true, "h3's restarted plugin announced its container again");
        }
        finally
        {
            await h2.RemoveAsync(["ml-2"]);
            await h3.RemoveAsync(["ml-3"]);
            await h1.RemoveAsync(["ml-1"], "mc-leave");
        }
    }

    private async Task AssertFloodToHost3Async(string logicalId, bool present, string why, TimeSpan? within = null)
    {
        foreach (var h in Hosts.Take(2))
        {
            Assert.True(await Eventually.HoldsAsync(async () => (await FloodAsync(h, logicalId)).Contains(Vtep(2)) == present, within ?? s_converge),
                $"{h.Host.Name}: flood entry to h3 {(present ? "expected" : "still there")} ({why})");
        }
    }

    private static async Task<HashSet<string>> FloodAsync(HostScenario host, string logicalId) =>
        OverlayTables.RemoteFdb((await host.InOverlayAsync(logicalId, "bridge", "fdb", "show", "dev", "vxlan0")).StdOut)
            .Where(l => l.StartsWith(Zero, StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2])
            .ToHashSet(StringComparer.Ordinal);
}
