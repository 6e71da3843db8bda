using DockerNetPlugin.Integration.Tests.Engines;
using DockerNetPlugin.Integration.Tests.SingleHost;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Replication;

/// <summary>
/// The product's promise across hosts: a network created on one host appears on every host, containers on all
/// of them reach each other (IPv4 and IPv6) over VXLAN, each overlay namespace holds exactly the remote
/// containers' entries, and removals (of a container, of the network) propagate. Run on etcd
/// (<see cref="ReplicatedNetworkTests"/>) and on Consul (<see cref="ReplicatedNetworkConsulTests"/>).
/// </summary>
public abstract class ReplicatedNetworkScenarios<TFixture>(TFixture fixture, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : ReplicationBedFixture
{
    private static readonly TimeSpan s_converge = TimeSpan.FromSeconds(30);

    private IReadOnlyList<HostScenario> Hosts => fixture.Bed.Hosts.Select(h => new HostScenario(h)).ToList();

    [Fact]
    [Trait("Category", "Smoke")]
    public async Task NetworkCreatedOnHost1_AppearsOnAllHosts_ContainersPingAcrossHosts_RemovalsPropagate()
    {
        EngineCheck.AssertRunsSelectedEngine(fixture.Bed, output);
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        var logicalId = await h1.CreateNetworkAsync("web", "--subnet", "10.31.0.0/24", "--ipv6", "--subnet", "fd00:31::/64");
        try
        {
            foreach (var h in new[] { h2, h3 })
                await h.AssertNetworkAppearsAsync("web", s_converge);
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
            Assert.True(await Eventually.HoldsAsync(async () => (await fixture.StoreKeysAsync("dnp/v1/networks/")).Count == 0, s_converge),
                $"no logical network record is left in {fixture.Store}");
        }
        finally
        {
            foreach (var (h, i) in Hosts.Select((h, i) => (h, i)))
                await h.RemoveAsync([$"web-{i + 1}"], "web");
        }
    }

    [Fact]
    public async Task TrafficBetweenHosts_IsVxlanOnUdp4789_ContainerAddressesNeverBareOnTheUnderlay()
    {
        var (h1, h2) = (Hosts[0], Hosts[1]);
        var logicalId = await h1.CreateNetworkAsync("wire", "--subnet", "10.34.0.0/24");
        try
        {
            await h2.AssertNetworkAppearsAsync("wire", s_converge);
            await Task.WhenAll(h1.RunAsync("wire-1", "wire"), h2.RunAsync("wire-2", "wire"));
            var ip2 = await h2.IpOfAsync("wire-2", "wire");
            var ip1 = await h1.IpOfAsync("wire-1", "wire");
            Assert.True((await h1.PingEventuallyAsync("wire-1", ip2)).Succeeded, "wire-1 → wire-2 before capturing");
            var vni = (await h1.InOverlayAsync(logicalId, "ip", "-d", "-o", "link", "show", "vxlan0")).EnsureSuccess().StdOut.Split(' ').SkipWhile(w => w != "id").Skip(1).First();

            // The fabric sees UDP 4789 carrying the ICMP, tagged with the network's VNI ...
            var vxlan = await CaptureDuringPingAsync(h1, "wire-1", ip2, "-c", "4", "udp", "port", "4789");
            Assert.Contains($"{fixture.Bed.Hosts[0].UnderlayIp}", vxlan.StdOut, StringComparison.Ordinal);
            Assert.Contains($"> {fixture.Bed.Hosts[1].UnderlayIp}.4789: VXLAN", vxlan.StdOut, StringComparison.Ordinal);
            Assert.Contains($"vni {vni}", vxlan.StdOut, StringComparison.Ordinal);
            Assert.Contains($"{ip1} > {ip2}: ICMP echo request", vxlan.StdOut, StringComparison.Ordinal);
            // ... and never the container addresses as plain IP.
            var bare = await CaptureDuringPingAsync(h1, "wire-1", ip2, "-c", "1", "host", ip1, "or", "host", ip2);
            Assert.DoesNotContain("ICMP", bare.StdOut, StringComparison.Ordinal);
            Assert.Contains("0 packets captured", bare.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            await h1.RemoveAsync(["wire-1"]);
            await h2.RemoveAsync(["wire-2"]);
            await h1.RemoveAsync([], "wire");
        }
    }

    [Fact]
    public async Task SameFixedIpOnTwoHosts_SecondIsRefusedClearly()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        await h1.CreateNetworkAsync("fixed", "--subnet", "10.33.0.0/24");
        try
        {
            foreach (var h in new[] { h2, h3 })
                await h.AssertNetworkAppearsAsync("fixed", s_converge);
            (await h2.Host.DockerAsync("run", "-d", "--name", "fixed-2", "--network", "fixed", "--ip", "10.33.0.50", Image, "sleep", "3600")).EnsureSuccess();
            var second = await h3.Host.DockerAsync("run", "-d", "--name", "fixed-3", "--network", "fixed", "--ip", "10.33.0.50", Image, "sleep", "3600");

            Assert.False(second.Succeeded, "the same --ip on a second host must be refused");
            Assert.Contains("10.33.0.50 is already allocated", second.StdErr, StringComparison.Ordinal);
            Assert.Equal("10.33.0.50", await h2.IpOfAsync("fixed-2", "fixed"));
        }
        finally
        {
            await h2.RemoveAsync(["fixed-2"]);
            await h3.RemoveAsync(["fixed-3"]);
            await h1.RemoveAsync([], "fixed");
        }
    }

    [Fact]
    public async Task SixtyContainersStartedConcurrentlyOnThreeHosts_GetDistinctAddresses_AllReachable()
    {
        const int perHost = 20;
        await Hosts[0].CreateNetworkAsync("crowd", "--subnet", "10.32.0.0/24");
        var names = Hosts.Select((h, i) => Enumerable.Range(1, perHost).Select(n => $"crowd-h{i + 1}-{n}").ToArray()).ToArray();
        try
        {
            foreach (var h in Hosts.Skip(1))
                await h.AssertNetworkAppearsAsync("crowd", s_converge);
            await Task.WhenAll(Hosts.SelectMany((h, i) => names[i].Select(n => h.RunAsync(n, "crowd"))));
            var ips = (await Task.WhenAll(Hosts.SelectMany((h, i) => names[i].Select(n => h.IpOfAsync(n, "crowd"))))).ToList();

            Assert.Equal(3 * perHost, ips.Distinct().Count());
            // Every address answers, from a container on the first host and from one on the last.
            var script = "for ip in " + string.Join(' ', ips) + "; do ping -c 1 -W 3 $ip >/dev/null || ping -c 1 -W 3 $ip >/dev/null || echo unreachable $ip; done";
            var fromFirst = await Hosts[0].ExecAsync(names[0][0], "sh", "-c", script);
            var fromLast = await Hosts[2].ExecAsync(names[2][0], "sh", "-c", script);
            Assert.Equal("", fromFirst.StdOut.Trim());
            Assert.Equal("", fromLast.StdOut.Trim());
        }
        finally
        {
            await Task.WhenAll(Hosts.Select((h, i) => h.RemoveAsync(names[i])));
            await Hosts[0].RemoveAsync([], "crowd");
        }
    }

    [Fact]
    public async Task NetworkRemovedOnTheHostThatCreatedIt_IsRemovedEverywhere()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        await h1.CreateNetworkAsync("origin", "--subnet", "10.37.0.0/24");
        try
        {
            foreach (var h in new[] { h2, h3 })
                await h.AssertNetworkAppearsAsync("origin", s_converge);
            await h2.RunAsync("origin-2", "origin");
            await h2.RemoveAsync(["origin-2"]);

            (await h1.Host.DockerAsync("network", "rm", "origin")).EnsureSuccess();
            foreach (var h in Hosts)
                Assert.True(await Eventually.HoldsAsync(async () => !await h.NetworkExistsAsync("origin"), s_converge), $"origin must be removed on {h.Host.Name}");
        }
        finally
        {
            foreach (var h in Hosts)
                await h.RemoveAsync([], "origin");
        }
    }

    private const string Image = HostScenario.Image;

    private async Task<Testbed.CommandResult> CaptureDuringPingAsync(HostScenario h, string container, string ip, params string[] filter)
    {
        var capture = fixture.Bed.InFabricAsync(["timeout", "8", "tcpdump", "-i", "br0", "-n", "-l", .. filter], TimeSpan.FromSeconds(20));
        await Task.Delay(1500); // tcpdump is listening
        await h.PingAsync(container, ip);
        return await capture;
    }
}

/// <summary>The replication scenarios on a real etcd.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ReplicatedNetworkTests(ThreeHostReplicationFixture fixture, ITestOutputHelper output) : ReplicatedNetworkScenarios<ThreeHostReplicationFixture>(fixture, output);

/// <summary>The replication scenarios on Consul (the emulator served on the fabric, <c>consul://</c>).</summary>
[Trait("Category", "EndToEnd")]
[Trait("Store", "Consul")]
public sealed class ReplicatedNetworkConsulTests(ThreeHostConsulReplicationFixture fixture, ITestOutputHelper output) : ReplicatedNetworkScenarios<ThreeHostConsulReplicationFixture>(fixture, output);
