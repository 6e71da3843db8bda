using DockerNetPlugin.Integration.Tests.SingleHost;

namespace DockerNetPlugin.Integration.Tests.MultiHost;

/// <summary>
/// One logical network across two hosts, created on each host by hand (<c>-o dnp.network=</c>, the
/// DNP_REPLICATE=false way), with etcd carrying endpoint records: a ping crosses hosts over VXLAN, and each
/// overlay namespace holds exactly the remote endpoints' neighbour and FDB entries, pointing at the right VTEP.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ManualModeOverlayTests(TwoHostEtcdFixture fixture) : IClassFixture<TwoHostEtcdFixture>
{
    [Fact]
    public async Task ContainersOnTwoHosts_SameLogicalNetwork_PingAndPeersProgrammed()
    {
        var h1 = new HostScenario(fixture.Bed.Hosts[0]);
        var h2 = new HostScenario(fixture.Bed.Hosts[1]);
        string[] options = ["--subnet", "10.30.0.0/24", "-o", "dnp.network=web", "--ipam-opt", "dnp.network=web"];
        await h1.CreateNetworkAsync("web", options);
        await h2.CreateNetworkAsync("web", options);
        try
        {
            await h1.RunAsync("web-1", "web");
            await h2.RunAsync("web-2", "web");
            var ip1 = await h1.IpOfAsync("web-1", "web");
            var ip2 = await h2.IpOfAsync("web-2", "web");

            var across = await h1.PingEventuallyAsync("web-1", ip2);
            var back = await h2.PingAsync("web-2", ip1);
            var fdb1 = (await h1.InOverlayAsync("web", "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut;
            var neigh1 = (await h1.InOverlayAsync("web", "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut;

            Assert.NotEqual(ip1, ip2);
            Assert.True(across.Succeeded, "h1 → h2 over the overlay: " + across);
            Assert.True(back.Succeeded, "h2 → h1 over the overlay: " + back);
            var mac2 = OverlayTables.MacOf(ip2);
            var remoteFdb = OverlayTables.RemoteFdb(fdb1);
            Assert.Single(remoteFdb);
            Assert.Contains(mac2, remoteFdb[0], StringComparison.Ordinal);
            Assert.Contains($"dst {fixture.Bed.Hosts[1].UnderlayIp}", remoteFdb[0], StringComparison.Ordinal);
            Assert.Contains("self permanent", remoteFdb[0], StringComparison.Ordinal);
            var neighbours = OverlayTables.Neighbours(neigh1);
            Assert.Single(neighbours);
            Assert.Contains($"{ip2} lladdr {mac2} PERMANENT", neighbours[0], StringComparison.Ordinal);

            await h2.RemoveAsync(["web-2"]);
            // Only our static "self ... dst" entries count; br0's own learned "master br0" entry ages out by itself.
            var gone = await Eventually.HoldsAsync(async () => !(await h1.InOverlayAsync("web", "bridge", "fdb", "show", "dev", "vxlan0")).StdOut
                .Split('\n').Any(l => l.Contains(mac2, StringComparison.Ordinal) && l.Contains("dst ", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
            var neighbourGone = !(await h1.InOverlayAsync("web", "ip", "neigh", "show", "dev", "vxlan0")).StdOut.Contains(ip2, StringComparison.Ordinal);
            Assert.True(gone, "a container removed on h2 must vanish from h1's FDB");
            Assert.True(neighbourGone, "a container removed on h2 must vanish from h1's neighbour table");
        }
        finally
        {
            await h1.RemoveAsync(["web-1"], "web");
            await h2.RemoveAsync(["web-2"], "web");
        }
    }

    [Fact]
    public async Task EntriesDeletedByHand_AreReprogrammedFromTheCacheOnTheNextMiss()
    {
        var h1 = new HostScenario(fixture.Bed.Hosts[0]);
        var h2 = new HostScenario(fixture.Bed.Hosts[1]);
        string[] options = ["--subnet", "10.36.0.0/24", "-o", "dnp.network=heal", "--ipam-opt", "dnp.network=heal"];
        await h1.CreateNetworkAsync("heal", options);
        await h2.CreateNetworkAsync("heal", options);
        try
        {
            await Task.WhenAll(h1.RunAsync("heal-1", "heal"), h2.RunAsync("heal-2", "heal"));
            var ip2 = await h2.IpOfAsync("heal-2", "heal");
            var mac2 = OverlayTables.MacOf(ip2);
            var vtep2 = fixture.Bed.Hosts[1].UnderlayIp.ToString();
            Assert.True((await h1.PingEventuallyAsync("heal-1", ip2)).Succeeded, "heal-1 → heal-2 before the entries are deleted");

            // An operator (or a stray script) deletes h1's entries for heal-2, and heal-1 forgets heal-2's MAC.
            (await h1.InOverlayAsync("heal", "ip", "neigh", "del", ip2, "dev", "vxlan0")).EnsureSuccess();
            (await h1.InOverlayAsync("heal", "bridge", "fdb", "del", mac2, "dev", "vxlan0", "dst", vtep2, "self")).EnsureSuccess();
            var pid = (await h1.Host.DockerAsync("inspect", "-f", "{{.State.Pid}}", "heal-1")).EnsureSuccess().StdOut.Trim();
            (await h1.Host.ExecAsync("nsenter", "-t", pid, "-n", "ip", "neigh", "flush", "all")).EnsureSuccess();
            Assert.DoesNotContain(ip2, (await h1.InOverlayAsync("heal", "ip", "neigh", "show", "dev", "vxlan0")).StdOut, StringComparison.Ordinal);

            // The next packet misses in vxlan0; the plugin answers from its cache and the ping goes through.
            var ping = await h1.PingEventuallyAsync("heal-1", ip2);
            var neigh = (await h1.InOverlayAsync("heal", "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut;
            var fdb = OverlayTables.RemoteFdb((await h1.InOverlayAsync("heal", "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
            Assert.True(ping.Succeeded, "heal-1 → heal-2 after the entries were deleted: " + ping);
            Assert.Contains($"{ip2} lladdr {mac2} PERMANENT", neigh, StringComparison.Ordinal);
            Assert.Contains(fdb, l => l.StartsWith(mac2, StringComparison.Ordinal) && l.Contains($"dst {vtep2} ", StringComparison.Ordinal));
        }
        finally
        {
            await h1.RemoveAsync(["heal-1"], "heal");
            await h2.RemoveAsync(["heal-2"], "heal");
        }
    }
}
