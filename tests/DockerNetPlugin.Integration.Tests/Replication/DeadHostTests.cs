using System.Diagnostics;
using DockerNetPlugin.Integration.Tests.SingleHost;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Replication;

/// <summary>
/// A host that dies entirely (plugin and dockerd killed, its underlay link gone) stops renewing its lease: its
/// endpoint records expire, it answers no probe, and every other host drops its neighbour and FDB entries within the
/// lease TTL plus a few probe intervals, while the survivors keep talking.
/// What it held in the store (its addresses, its membership) stays until an operator runs <c>dnp forget-host</c>.
/// Run on etcd (<see cref="DeadHostTests"/>) and on Consul, where the lease is a session (<see cref="DeadHostConsulTests"/>).
/// </summary>
public abstract class DeadHostScenarios<TFixture>(TFixture fixture, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : ReplicationBedFixture
{
    [Fact]
    public async Task Host3Killed_ItsEntriesLeaveHosts1And2WithinTheLease_SurvivorsStillPing()
    {
        var hosts = fixture.Bed.Hosts.Select(h => new HostScenario(h)).ToList();
        var (h1, h2, h3) = (hosts[0], hosts[1], hosts[2]);
        var logicalId = await h1.CreateNetworkAsync("life", "--subnet", "10.35.0.0/24");
        try
        {
            foreach (var h in new[] { h2, h3 })
                await h.AssertNetworkAppearsAsync("life", TimeSpan.FromSeconds(30));
            await Task.WhenAll(hosts.Select((h, i) => h.RunAsync($"life-{i + 1}", "life")));
            var ip2 = await h2.IpOfAsync("life-2", "life");
            var ip3 = await h3.IpOfAsync("life-3", "life");
            var mac3 = OverlayTables.MacOf(ip3);
            Assert.True((await h1.PingEventuallyAsync("life-1", ip3)).Succeeded, "h1 reaches h3 before it dies");
            // h1's ping proves only h1's entries; h2 learns h3's through its own watch (on Consul rate-limited to one
            // blocking query per 2 s once its burst is spent), so it gets the time to.
            foreach (var h in new[] { h1, h2 })
                Assert.True(await Eventually.HoldsAsync(() => HasEntriesOfAsync(h, logicalId, mac3, ip3), TimeSpan.FromSeconds(15)), $"{h.Host.Name} has h3's entries before it dies");

            var watch = Stopwatch.StartNew();
            await fixture.Bed.Hosts[2].StopPluginAsync(kill9: true);
            await fixture.Bed.Hosts[2].StopDockerdAsync(kill9: true);
            (await fixture.Bed.Hosts[2].ExecAsync("ip", "link", "set", fixture.Bed.Hosts[2].UnderlayInterface, "down")).EnsureSuccess();

            var limit = fixture.DeadHostExpiry;
            foreach (var h in new[] { h1, h2 })
                Assert.True(await Eventually.HoldsAsync(async () => !await HasAnyEntryOfAsync(h, logicalId, mac3, ip3), limit), $"h3's entries must leave {h.Host.Name}");
            output.WriteLine($"h3's entries left h1 and h2 {watch.Elapsed.TotalSeconds:F1} s after it died ({fixture.Store}, lease TTL {ReplicationBedFixture.LeaseTtl.TotalSeconds} s)");
            var survivors = await h1.PingAsync("life-1", ip2);
            Assert.True(survivors.Succeeded, "h1 still reaches h2: " + survivors);

            // h3 is gone for good: its address and membership stay in the store until an operator forgets it.
            var members = await MembersAsync(h1, logicalId);
            var dead = Assert.Single(members, m => !m.Live).HostId;
            var live = members.First(m => m.Live && m.HostId != members.First(x => x.Local).HostId).HostId;
            var refused = await h1.Host.ExecAsync(PluginBinary.Path, "forget-host", live);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"host {live} is alive", refused.StdErr, StringComparison.Ordinal);
            var taken = await h1.Host.DockerAsync("run", "-d", "--name", "life-4", "--network", "life", "--ip", ip3, HostScenario.Image, "sleep", "600");
            Assert.False(taken.Succeeded, $"{ip3} is still held by the dead host");
            await h1.RemoveAsync(["life-4"]);

            var forget = await h1.Host.ExecAsync(PluginBinary.Path, "forget-host", dead);
            output.WriteLine(forget.StdOut);
            Assert.True(forget.Succeeded, forget.StdErr);
            Assert.Contains("endpoint addresses released  1", forget.StdOut, StringComparison.Ordinal);
            Assert.Contains("network memberships removed  1", forget.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain(await MembersAsync(h1, logicalId), m => m.HostId == dead);
            (await h1.Host.DockerAsync("run", "-d", "--name", "life-4", "--network", "life", "--ip", ip3, HostScenario.Image, "sleep", "600")).EnsureSuccess();
            Assert.True((await h2.PingEventuallyAsync("life-2", ip3)).Succeeded, $"h2 reaches {ip3}, now on h1");
        }
        finally
        {
            await h1.RemoveAsync(["life-1", "life-4"]);
            await h2.RemoveAsync(["life-2"]);
        }
    }

    /// <summary>The hosts of a logical network as <c>dnp networks --json</c> on <paramref name="h"/> shows them.</summary>
    private static async Task<List<(string HostId, bool Live, bool Local)>> MembersAsync(HostScenario h, string logicalId)
    {
        var json = (await h.Host.ExecAsync(PluginBinary.Path, "networks", "--json")).EnsureSuccess().StdOut;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var self = doc.RootElement.GetProperty("hostId").GetString();
        var network = doc.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("id").GetString() == logicalId);
        return network.GetProperty("hosts").EnumerateArray()
            .Select(m => (m.GetProperty("hostId").GetString()!, m.GetProperty("live").GetBoolean(), m.GetProperty("hostId").GetString() == self)).ToList();
    }

    private static async Task<bool> HasEntriesOfAsync(HostScenario h, string logicalId, string mac, string ip) =>
        OverlayTables.RemoteFdb((await h.InOverlayAsync(logicalId, "bridge", "fdb", "show", "dev", "vxlan0")).StdOut).Any(l => l.StartsWith(mac, StringComparison.Ordinal))
        && (await h.InOverlayAsync(logicalId, "ip", "neigh", "show", "dev", "vxlan0")).StdOut.Contains(ip + " lladdr " + mac, StringComparison.Ordinal);

    private static async Task<bool> HasAnyEntryOfAsync(HostScenario h, string logicalId, string mac, string ip) =>
        OverlayTables.RemoteFdb((await h.InOverlayAsync(logicalId, "bridge", "fdb", "show", "dev", "vxlan0")).StdOut).Any(l => l.StartsWith(mac, StringComparison.Ordinal))
        || (await h.InOverlayAsync(logicalId, "ip", "neigh", "show", "dev", "vxlan0")).StdOut.Contains(ip + " ", StringComparison.Ordinal);
}

/// <summary>A dead host on a real etcd (its lease expires).</summary>
[Trait("Category", "EndToEnd")]
public sealed class DeadHostTests(ThreeHostReplicationFixture fixture, ITestOutputHelper output) : DeadHostScenarios<ThreeHostReplicationFixture>(fixture, output);

/// <summary>A dead host on Consul (its session is invalidated and its records deleted with it).</summary>
[Trait("Category", "EndToEnd")]
[Trait("Store", "Consul")]
public sealed class DeadHostConsulTests(ThreeHostConsulReplicationFixture fixture, ITestOutputHelper output) : DeadHostScenarios<ThreeHostConsulReplicationFixture>(fixture, output);
