using System.Diagnostics;
using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// The control plane may fail, the data plane must not (issue 18): a plugin stop is not a host's death, and a host cut
/// off from the store is not dead while it answers on the underlay. Two hosts, real dockerd and etcd, lease TTL 10 s.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class LivenessTests(TwoHostOutageFixture fixture, ITestOutputHelper output) : IClassFixture<TwoHostOutageFixture>
{
    private HostScenario H1 => new(fixture.Bed.Hosts[0]);
    private HostScenario H2 => new(fixture.Bed.Hosts[1]);

    [Fact]
    public async Task PluginStoppedGracefullyFor20s_NoReplyLost_ItsRecordsNeverLeftTheStore()
    {
        var (_, ip2) = await TwoHostPing.TwoContainersAsync(H1, H2, "stop", "10.58.0.0/24");
        try
        {
            var before = await EndpointRecordsAsync("stop");
            Assert.Equal(2, before.Count);
            var pings = H1.ExecAsync("stop-1", "ping", "-i", "0.1", "-c", "300", "-W", "5", ip2); // 30 s of pings
            await Task.Delay(3000);
            await fixture.Bed.Hosts[1].StopPluginAsync(); // SIGTERM
            var presence = WatchPresenceAsync("stop", before.Keys, TimeSpan.FromSeconds(20));
            var gaps = await presence;
            await fixture.Bed.Hosts[1].StartPluginAsync(PluginBinary.Path, fixture.Bed.Options.PluginEnvironment);

            // A container started on the restarted host converges (while the pings go on).
            var back = Stopwatch.StartNew();
            await H2.RunAsync("stop-3", "stop");
            var ip3 = await H2.IpOfAsync("stop-3", "stop");
            Assert.True((await H1.PingEventuallyAsync("stop-1", ip3)).Succeeded, "h1 reaches a container started after the restart");
            output.WriteLine($"new container on the restarted host reachable from h1 {back.Elapsed.TotalSeconds:F1} s after its plugin's socket answered again");
            var result = await pings;

            output.WriteLine(PingRun.Summary(result));
            Assert.True(result.StdOut.Contains("300 packets transmitted, 300 packets received, 0% packet loss", StringComparison.Ordinal), "every reply arrives: " + PingRun.Summary(result));
            Assert.Equal(0, gaps); // polled every 250 ms while the plugin was stopped
            var after = await EndpointRecordsAsync("stop");
            Assert.Equal(before.Count + 1, after.Count);
            Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key])); // same create revisions: never deleted and written again

        }
        finally
        {
            await H2.RemoveAsync(["stop-3"]);
            await TwoHostPing.RemoveAsync(H1, H2, "stop");
        }
    }

    [Fact]
    public async Task Host2CutOffFromEtcdFor30s_NoReplyLost_ShownStoreUnreachable_KernelTablesUnchanged()
    {
        var (_, ip2) = await TwoHostPing.TwoContainersAsync(H1, H2, "cut", "10.59.0.0/24");
        var host2 = fixture.Bed.Hosts[1];
        string[] rule = ["OUTPUT", "-d", fixture.Bed.Etcd!.Address.ToString(), "-p", "tcp", "--dport", "2379", "-j", "DROP"];
        var ruleAdded = false;
        try
        {
            var tablesBefore = await TablesAsync(H1, "cut");
            var pings = H1.ExecAsync("cut-1", "ping", "-i", "0.1", "-c", "450", "-W", "5", ip2); // 45 s of pings
            await Task.Delay(3000);
            (await host2.ExecAsync(["iptables", "-w", "-A", .. rule])).EnsureSuccess();
            ruleAdded = true;
            var cut = Stopwatch.StartNew();

            // Host 2's lease lapses (TTL 10 s); host 1 keeps its entries because it answers on the underlay.
            Assert.True(await Eventually.HoldsAsync(async () => (await PeerStatesAsync(H1, "cut")).Contains("store-unreachable"), TimeSpan.FromSeconds(28)),
                "dnp peers on h1 shows h2 as store-unreachable while h2 is cut off");
            output.WriteLine($"h2 shown store-unreachable on h1 {cut.Elapsed.TotalSeconds:F1} s into the cut");
            var networks = (await H1.Host.ExecAsync(PluginBinary.Path, "networks")).EnsureSuccess().StdOut;
            Assert.Contains("(store-unreachable)", networks, StringComparison.Ordinal);
            Assert.Equal(tablesBefore, await TablesAsync(H1, "cut"));

            await Task.Delay(TimeSpan.FromSeconds(30) - cut.Elapsed);
            (await host2.ExecAsync(["iptables", "-w", "-D", .. rule])).EnsureSuccess();
            ruleAdded = false;
            var back = Stopwatch.StartNew();

            // A container started on h2 right after the store is back converges.
            await H2.RunAsync("cut-3", "cut");
            var ip3 = await H2.IpOfAsync("cut-3", "cut");
            Assert.True((await H1.PingEventuallyAsync("cut-1", ip3)).Succeeded, "h1 reaches a container h2 started after the cut");
            output.WriteLine($"new container on h2 reachable from h1 {back.Elapsed.TotalSeconds:F1} s after the store was back");

            var result = await pings;
            output.WriteLine(PingRun.Summary(result));
            Assert.True(result.StdOut.Contains("450 packets transmitted, 450 packets received, 0% packet loss", StringComparison.Ordinal), "every reply arrives: " + PingRun.Summary(result));
            Assert.True(await Eventually.HoldsAsync(async () => (await PeerStatesAsync(H1, "cut")).All(s => s == "live"), TimeSpan.FromSeconds(30)),
                "h2 is live again on h1 once it re-published");
            var tablesAfter = await TablesAsync(H1, "cut");
            var mac3 = OverlayTables.MacOf(ip3);
            Assert.Equal(tablesBefore, tablesAfter.Where(l => !l.Contains(ip3 + " ", StringComparison.Ordinal) && !l.StartsWith(mac3, StringComparison.Ordinal)).ToList());
        }
        finally
        {
            if (ruleAdded)
                await host2.ExecAsync(["iptables", "-w", "-D", .. rule]);
            await H2.RemoveAsync(["cut-3"]);
            await TwoHostPing.RemoveAsync(H1, H2, "cut");
        }
    }

    /// <summary>Endpoint records of a logical network in etcd: key → create revision.</summary>
    private async Task<Dictionary<string, long>> EndpointRecordsAsync(string logical)
    {
        var json = (await fixture.Bed.Etcd!.EtcdctlAsync("get", "--prefix", StoreKeys.Root, "-w", "json")).EnsureSuccess().StdOut;
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("kvs", out var kvs))
            return [];
        return kvs.EnumerateArray()
            .Select(kv => (Key: System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!)), Created: kv.GetProperty("create_revision").GetInt64()))
            .Where(kv => StoreKeys.IsEndpoint(kv.Key, logical))
            .ToDictionary(kv => kv.Key, kv => kv.Created, StringComparer.Ordinal);
    }

    /// <summary>Polls the records every 250 ms for <paramref name="duration"/>; returns how many polls missed one.</summary>
    private async Task<int> WatchPresenceAsync(string logical, IEnumerable<string> keys, TimeSpan duration)
    {
        var wanted = keys.ToList();
        var gaps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var now = await EndpointRecordsAsync(logical);
            if (wanted.Any(k => !now.ContainsKey(k)))
                gaps++;
            await Task.Delay(250);
        }
        return gaps;
    }

    /// <summary>The host states in <c>dnp peers NET --json</c> on <paramref name="h"/> (one per endpoint).</summary>
    private static async Task<List<string>> PeerStatesAsync(HostScenario h, string net)
    {
        var answer = await h.Host.ExecAsync(PluginBinary.Path, "peers", net, "--json");
        if (!answer.Succeeded)
            return [];
        using var doc = JsonDocument.Parse(answer.StdOut);
        return doc.RootElement.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("state").GetString()!).ToList();
    }

    /// <summary>The neighbour entries and remote FDB entries of the network's vxlan0, sorted.</summary>
    private static async Task<List<string>> TablesAsync(HostScenario h, string net)
    {
        var neigh = OverlayTables.Neighbours((await h.InOverlayAsync(net, "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
        var fdb = OverlayTables.RemoteFdb((await h.InOverlayAsync(net, "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
        return neigh.Concat(fdb).Order(StringComparer.Ordinal).ToList();
    }
}
