using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.MultiHost;

/// <summary>
/// The VXLAN guard on two real hosts: a stranger on the fabric (the fabric namespace, which is on the underlay but no
/// cluster host) builds its own VTEP with the network's VNI and pings a container on host 2. With the guard nothing
/// reaches the container (it never learns of the stranger) and host 2's status counts the drops; with
/// DNP_VXLAN_GUARD=off the same frames arrive (so the test can see them). Real peers keep pinging throughout.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class VxlanGuardTests(TwoHostEtcdFixture fixture) : IClassFixture<TwoHostEtcdFixture>
{
    private const string Stranger = "dnpstrg0";
    private const string StrangerIp = "10.39.0.250";

    [Fact]
    public async Task StrangerVtepWithTheNetworksVni_DroppedAndCounted_ArrivesWithTheGuardOff_PeersUnaffected()
    {
        var h1 = new HostScenario(fixture.Bed.Hosts[0]);
        var h2 = new HostScenario(fixture.Bed.Hosts[1]);
        string[] options = ["--subnet", "10.39.0.0/24", "-o", "dnp.network=guard", "--ipam-opt", "dnp.network=guard"];
        await h1.CreateNetworkAsync("guard", options);
        await h2.CreateNetworkAsync("guard", options);
        try
        {
            await Task.WhenAll(h1.RunAsync("guard-1", "guard"), h2.RunAsync("guard-2", "guard"));
            var ip1 = await h1.IpOfAsync("guard-1", "guard");
            var ip2 = await h2.IpOfAsync("guard-2", "guard");
            Assert.True((await h1.PingEventuallyAsync("guard-1", ip2)).Succeeded, "real peers pass the guard");

            var guard = Guard(await h2.StatusJsonAsync());
            Assert.Equal("active", guard.GetProperty("state").GetString());
            Assert.True(guard.GetProperty("vteps").GetInt32() >= 2, "both hosts' VTEPs allowed: " + guard);
            var droppedBefore = guard.GetProperty("droppedPackets").GetUInt64();
            var vni = Vni(await h2.StatusJsonAsync(), "guard");

            await StrangerSendsAsync(vni, h2, ip2);
            var droppedAfter = Guard(await h2.StatusJsonAsync()).GetProperty("droppedPackets").GetUInt64();
            Assert.True(droppedAfter >= droppedBefore + 3, $"the stranger's datagrams are counted as dropped ({droppedBefore} → {droppedAfter})");
            Assert.False(await ContainerSawStrangerAsync(h2, "guard-2"), "no frame from the stranger reaches the container with the guard on");
            Assert.True((await h1.PingAsync("guard-1", ip2)).Succeeded, "real peers still pass");
            Assert.True((await h2.PingAsync("guard-2", ip1)).Succeeded, "and back");

            // The same frames with the guard off: they arrive, so the check above could see them.
            await RestartPluginAsync(h2, guardOff: true);
            Assert.Equal("off", Guard(await StatusEventuallyAsync(h2)).GetProperty("state").GetString());
            await StrangerSendsAsync(vni, h2, ip2);
            Assert.True(await Eventually.HoldsAsync(() => ContainerSawStrangerAsync(h2, "guard-2"), TimeSpan.FromSeconds(10)),
                "with DNP_VXLAN_GUARD=off the stranger's frames reach the container");
        }
        finally
        {
            await fixture.Bed.InFabricAsync(["ip", "link", "del", Stranger]);
            if (!fixture.Bed.Hosts[1].IsProcessRunning(SimHost.PluginProcessName) || Guard(await StatusEventuallyAsync(h2)).GetProperty("state").GetString() == "off")
                await RestartPluginAsync(h2, guardOff: false);
            await h1.RemoveAsync(["guard-1"], "guard");
            await h2.RemoveAsync(["guard-2"], "guard");
        }
    }

    /// <summary>The fabric namespace builds a VTEP with the network's VNI towards host 2 and pings the container through it.</summary>
    private async Task StrangerSendsAsync(uint vni, HostScenario target, string containerIp)
    {
        var bed = fixture.Bed;
        await bed.InFabricAsync(["ip", "link", "del", Stranger]);
        (await bed.InFabricAsync(["ip", "link", "add", Stranger, "type", "vxlan", "id", vni.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "remote", target.Host.UnderlayIp.ToString(), "local", bed.RouterAddress.ToString(), "dstport", "4789", "nolearning"])).EnsureSuccess();
        (await bed.InFabricAsync(["ip", "addr", "add", StrangerIp + "/24", "dev", Stranger])).EnsureSuccess();
        (await bed.InFabricAsync(["ip", "link", "set", Stranger, "up"])).EnsureSuccess();
        (await bed.InFabricAsync(["ip", "neigh", "replace", containerIp, "lladdr", OverlayTables.MacOf(containerIp), "dev", Stranger, "nud", "permanent"])).EnsureSuccess();
        await bed.InFabricAsync(["ping", "-c", "3", "-i", "0.2", "-W", "1", containerIp]); // no answer expected either way
    }

    /// <summary>A container that received the stranger's echo request tries to answer: its neighbour table then has the stranger.</summary>
    private static async Task<bool> ContainerSawStrangerAsync(HostScenario h, string container)
    {
        var pid = (await h.Host.DockerAsync("inspect", "-f", "{{.State.Pid}}", container)).EnsureSuccess().StdOut.Trim();
        var neigh = await h.Host.ExecAsync("nsenter", "-t", pid, "-n", "ip", "neigh", "show", StrangerIp);
        return neigh.StdOut.Contains(StrangerIp, StringComparison.Ordinal);
    }

    private async Task RestartPluginAsync(HostScenario h, bool guardOff)
    {
        var env = new Dictionary<string, string>(fixture.Bed.Options.PluginEnvironment ?? new Dictionary<string, string>());
        if (guardOff)
            env["DNP_VXLAN_GUARD"] = "off";
        await h.Host.StopPluginAsync();
        await h.Host.StartPluginAsync(PluginBinary.Path, env);
        await StatusEventuallyAsync(h);
    }

    private static async Task<string> StatusEventuallyAsync(HostScenario h)
    {
        string? json = null;
        await Eventually.HoldsAsync(async () =>
        {
            var r = await h.Host.ExecAsync(PluginBinary.Path, "status", "--json");
            json = r.Succeeded ? r.StdOut : null;
            return json is not null;
        }, TimeSpan.FromSeconds(30));
        return json ?? throw new InvalidOperationException("dnp status never answered");
    }

    private static JsonElement Guard(string statusJson) => JsonDocument.Parse(statusJson).RootElement.GetProperty("vxlanGuard").Clone();

    private static uint Vni(string statusJson, string logicalId) =>
        JsonDocument.Parse(statusJson).RootElement.GetProperty("networks").EnumerateArray()
            .First(n => n.GetProperty("logicalId").GetString() == logicalId).GetProperty("vni").GetUInt32();
}
