using DockerNetPlugin.Integration.Tests.SingleHost;

namespace DockerNetPlugin.Integration.Tests.Replication;

/// <summary>
/// The product's promise across hosts: a network created on one host appears on every host, containers on all
/// of them reach each other (IPv4 and IPv6) over VXLAN, each overlay namespace holds exactly the remote
/// containers' entries, and removals (of a container, of the network) propagate.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReplicatedNetworkTests(ThreeHostReplicationFixture fixture) : IClassFixture<ThreeHostReplicationFixture>
{
    private static readonly TimeSpan s_converge = TimeSpan.FromSeconds(30);

    private IReadOnlyList<HostScenario> Hosts => fixture.Bed.Hosts.Select(h => new HostScenario(h)).ToList();

    [Fact]
    public async Task NetworkCreatedOnHost1_AppearsOnAllHosts_ContainersPingAcrossHosts_RemovalsPropagate()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        var logicalId = await h1.CreateNetworkAsync("web", "--subnet", "10.31.0.0/24", "--ipv6", "--subnet", "fd00:31::/64");
        try
        {
            foreach (var h in new[] { h2, h3 })
                Assert.True(await Eventually.HoldsAsync(() => h.NetworkExistsAsync("web"), s_converge), $"web must appear on {h.Host.Name}");
            var pools = await Task.WhenAll(Hosts.Select(h => h.InspectNetworkAsync("web", "{{.Driver}} {{range .IPAM.Config}}{{.Subnet}}={{.Gateway}} {{end}}")));
            Assert.All(pools, p => Assert.Equal(pools[0], p));
            Assert.StartsWith("dnp 10.31.0.0/24", pools[0], StringComparison.Ordinal);
            Assert.Equal(logicalId, (await h2.InspectNetworkAsync("web", "{{index .Options \"dnp.network\"}}")).Trim());

            await Task.WhenAll(Hosts.Select((h, i) => h.RunAsync($"web-{i + 1}", "web")));
            var ips = await Task.WhenAll(Hosts.Select((h, i) => h.IpOfAsync($"web-{i + 1}", "web")));
            var ip6s = await Task.WhenAll(Hosts.Select((h, i) => h.Ipv6OfAsync($"web-{i + 1}", "web")));
            Assert.Equal(3, ips.Distinct().Count());
            Assert.All(ip6s, ip => Assert.StartsWith("fd00:31::", ip, StringComparison.Ordinal));

            for (var from = 0; from < 3; from++)
            {
                for (var to = 0; to < 3; to++)
                {
                    if (from == to)
                        continue;
                    var v4 = await Hosts[from].PingEventuallyAsync($"web-{from + 1}", ips[to]);
                    Assert.True(v4.Succeeded, $"h{from + 1} → h{to + 1} IPv4: {v4}");
                }
            }
            var v6 = await h1.ExecAsync("web-1", "ping6", "-c", "2", "-W", "3", ip6s[1]);
            Assert.True(v6.Succeeded, "h1 → h2 IPv6: " + v6);
            var v6Back = await h3.ExecAsync("web-3", "ping6", "-c", "2", "-W", "3", ip6s[0]);
            Assert.True(v6Back.Succeeded, "h3 → h1 IPv6: " + v6Back);

            // Each host: br0 + vxlan0, exactly one neighbour (per family) and one FDB entry per remote container, with its VTEP.
            for (var i = 0; i < 3; i++)
            {
                var h = Hosts[i];
                var gateway = (await h.InOverlayAsync(logicalId, "ip", "-4", "-o", "addr", "show", "br0")).EnsureSuccess().StdOut;
                Assert.Contains("inet 10.31.0.1/24", gateway, StringComparison.Ordinal); // the same gateway on every host
                (await h.InOverlayAsync(logicalId, "ip", "link", "show", "vxlan0")).EnsureSuccess();
                var fdb = OverlayTables.RemoteFdb((await h.InOverlayAsync(logicalId, "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
                var neigh4 = OverlayTables.Neighbours((await h.InOverlayAsync(logicalId, "ip", "-4", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
                var neigh6 = OverlayTables.Neighbours((await h.InOverlayAsync(logicalId, "ip", "-6", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut)
                    .Where(l => l.Contains("PERMANENT", StringComparison.Ordinal)).ToList();
                Assert.Equal(2, fdb.Count);
                Assert.Equal(2, neigh4.Count);
                Assert.Equal(2, neigh6.Count);
                for (var j = 0; j < 3; j++)
                {
                    var mac = OverlayTables.MacOf(ips[j]);
                    if (i == j)
                    {
                        Assert.DoesNotContain(fdb, l => l.Contains(mac, StringComparison.Ordinal));
                        continue;
                    }
                    Assert.Contains(fdb, l => l.StartsWith(mac, StringComparison.Ordinal) && l.Contains($"dst {fixture.Bed.Hosts[j].UnderlayIp} ", StringComparison.Ordinal)
                        && l.EndsWith("self permanent", StringComparison.Ordinal));
                    Assert.Contains(neigh4, l => l.StartsWith($"{ips[j]} lladdr {mac} PERMANENT", StringComparison.Ordinal));
                    Assert.Contains(neigh6, l => l.StartsWith($"{ip6s[j]} lladdr {mac} PERMANENT", StringComparison.Ordinal));
                }
            }

            // A container removed on h1 vanishes from h2's and h3's tables.
            var mac1 = OverlayTables.MacOf(ips[0]);
            await h1.RemoveAsync(["web-1"]);
            foreach (var h in new[] { h2, h3 })
            {
                Assert.True(await Eventually.HoldsAsync(async () =>
                    !OverlayTables.RemoteFdb((await h.InOverlayAsync(logicalId, "bridge", "fdb", "show", "dev", "vxlan0")).StdOut).Any(l => l.Contains(mac1, StringComparison.Ordinal))
                    && !(await h.InOverlayAsync(logicalId, "ip", "neigh", "show", "dev", "vxlan0")).StdOut.Contains(ips[0] + " ", StringComparison.Ordinal), s_converge),
                    $"web-1's entries must leave {h.Host.Name}");
            }

            // `docker network rm web` on h2: gone from h2 at once, from h1 (no containers) soon, from h3 once web-3 leaves.
            await h2.RemoveAsync(["web-2"], "web");
            Assert.False(await h2.NetworkExistsAsync("web"));
            Assert.True(await Eventually.HoldsAsync(async () => !await h1.NetworkExistsAsync("web"), s_converge), "web must be removed on h1");
            Assert.True(await h3.NetworkExistsAsync("web"), "h3 keeps web while web-3 is attached");
            Assert.True(await Eventually.HoldsAsync(async () => (await h3.StatusJsonAsync()).Contains("\"removing\"", StringComparison.Ordinal), s_converge),
                "h3's status says web is being removed");
            await h3.RemoveAsync(["web-3"]);
            Assert.True(await Eventually.HoldsAsync(async () => !await h3.NetworkExistsAsync("web"), s_converge), "web must be removed on h3 once empty");
            Assert.True(await Eventually.HoldsAsync(async () => (await fixture.Bed.Etcd!.EtcdctlAsync("get", "--prefix", "--keys-only", "dnp/v1/networks/")).StdOut.Trim().Length == 0, s_converge),
                "no logical network record is left in etcd");
        }
        finally
        {
            foreach (var (h, i) in Hosts.Select((h, i) => (h, i)))
                await h.RemoveAsync([$"web-{i + 1}"], "web");
        }
    }
}
