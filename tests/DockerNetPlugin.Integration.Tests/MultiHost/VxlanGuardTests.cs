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

    /// <summary>
    /// A workload on host 2 builds a VTEP in its own namespace with the network's VNI and sends VXLAN to its own host's
    /// address (out through docker_gwbridge, as any container reaches its host): the guard drops and counts it, the
    /// target container on that host sees none of it; with the guard off the same frames arrive (so the test can see them).
    /// </summary>
    [Fact]
    public async Task ContainerSendingVxlanToItsOwnHost_DroppedAndCounted_NothingArrives_ArrivesWithTheGuardOff()
    {
        var h1 = new HostScenario(fixture.Bed.Hosts[0]);
        var h2 = new HostScenario(fixture.Bed.Hosts[1]);
        string[] options = ["--subnet", "10.40.0.0/24", "-o", "dnp.network=guardc", "--ipam-opt", "dnp.network=guardc"];
        const string sender = "10.40.0.250";
        await h1.CreateNetworkAsync("guardc", options);
        await h2.CreateNetworkAsync("guardc", options);
        try
        {
            await Task.WhenAll(h1.RunAsync("guardc-1", "guardc"), h2.RunAsync("guardc-2", "guardc"), h2.RunAsync("guardc-s", "guardc"));
            var ip1 = await h1.IpOfAsync("guardc-1", "guardc");
            var ip2 = await h2.IpOfAsync("guardc-2", "guardc");
            Assert.True((await h1.PingEventuallyAsync("guardc-1", ip2)).Succeeded, "real peers pass the guard");
            var vni = Vni(await h2.StatusJsonAsync(), "guardc");
            var droppedBefore = Guard(await h2.StatusJsonAsync()).GetProperty("droppedPackets").GetUInt64();

            await ContainerSendsAsync(h2, "guardc-s", vni, sender, ip2);
            var droppedAfter = Guard(await h2.StatusJsonAsync()).GetProperty("droppedPackets").GetUInt64();
            Assert.True(droppedAfter >= droppedBefore + 3, $"the container's datagrams are counted as dropped ({droppedBefore} → {droppedAfter})");
            Assert.False(await ContainerSawStrangerAsync(h2, "guardc-2", sender), "no frame from the container's VTEP reaches the target with the guard on");
            Assert.True((await h1.PingAsync("guardc-1", ip2)).Succeeded, "real peers still pass");
            Assert.True((await h2.PingAsync("guardc-2", ip1)).Succeeded, "and back");

            await RestartPluginAsync(h2, guardOff: true);
            Assert.Equal("off", Guard(await StatusEventuallyAsync(h2)).GetProperty("state").GetString());
            await ContainerSendsAsync(h2, "guardc-s", vni, sender, ip2);
            Assert.True(await Eventually.HoldsAsync(() => ContainerSawStrangerAsync(h2, "guardc-2", sender), TimeSpan.FromSeconds(10)),
                "with DNP_VXLAN_GUARD=off the container's frames reach the target");
        }
        finally
        {
            if (!fixture.Bed.Hosts[1].IsProcessRunning(SimHost.PluginProcessName) || Guard(await StatusEventuallyAsync(h2)).GetProperty("state").GetString() == "off")
                await RestartPluginAsync(h2, guardOff: false);
            await h1.RemoveAsync(["guardc-1"], "guardc");
            await h2.RemoveAsync(["guardc-2", "guardc-s"], "guardc");
        }
    }

    /// <summary>The container's own namespace (entered from its host) gets the VTEP; its traffic to the host leaves through docker_gwbridge.</summary>
    private static async Task ContainerSendsAsync(HostScenario h, string container, uint vni, string address, string targetIp)
    {
        var pid = await PidOfAsync(h, container);
        Task<CommandResult> InContainer(string[] argv) => h.Host.ExecAsync(["nsenter", "-t", pid, "-n", .. argv], CancellationToken.None);
        await InContainer(["ip", "link", "del", Stranger]);
        await SendVxlanAsync(InContainer, vni, h.Host.UnderlayIp.ToString(), address + "/32", targetIp, []);
    }

    /// <summary>The fabric namespace builds a VTEP with the network's VNI towards host 2 and pings the container through it.</summary>
    private async Task StrangerSendsAsync(uint vni, HostScenario target, string containerIp)
    {
        var bed = fixture.Bed;
        await bed.InFabricAsync(["ip", "link", "del", Stranger]);
        await SendVxlanAsync(argv => bed.InFabricAsync(argv), vni, target.Host.UnderlayIp.ToString(), StrangerIp + "/24", containerIp, ["local", bed.RouterAddress.ToString()]);
    }

    /// <summary>
    /// In the namespace <paramref name="run"/> enters: a VXLAN device (VNI <paramref name="vni"/>, UDP 4789 to
    /// <paramref name="remote"/>) with <paramref name="address"/>, a permanent neighbour for the container, and three
    /// echo requests to it through the device. No answer is expected either way.
    /// </summary>
    private static async Task SendVxlanAsync(Func<string[], Task<CommandResult>> run, uint vni, string remote, string address, string containerIp, string[] extra)
    {
        (await run(["ip", "link", "add", Stranger, "type", "vxlan", "id", vni.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "remote", remote, .. extra, "dstport", "4789", "nolearning"])).EnsureSuccess();
        (await run(["ip", "addr", "add", address, "dev", Stranger])).EnsureSuccess();
        (await run(["ip", "link", "set", Stranger, "up"])).EnsureSuccess();
        if (address.EndsWith("/32", StringComparison.Ordinal))
            (await run(["ip", "route", "replace", containerIp + "/32", "dev", Stranger])).EnsureSuccess(); // the device's address is no route
        (await run(["ip", "neigh", "replace", containerIp, "lladdr", OverlayTables.MacOf(containerIp), "dev", Stranger, "nud", "permanent"])).EnsureSuccess();
        await run(["ping", "-c", "3", "-i", "0.2", "-W", "1", containerIp]);
    }

    /// <summary>A container that received an echo request from <paramref name="senderIp"/> tries to answer: its neighbour table then has the sender.</summary>
    private static async Task<bool> ContainerSawStrangerAsync(HostScenario h, string container, string senderIp = StrangerIp)
    {
        var neigh = await h.Host.ExecAsync(["nsenter", "-t", await PidOfAsync(h, container), "-n", "ip", "neigh", "show", senderIp], CancellationToken.None);
        return neigh.StdOut.Contains(senderIp, StringComparison.Ordinal);
    }

    private static async Task<string> PidOfAsync(HostScenario h, string container) =>
        (await h.Host.DockerAsync("inspect", "-f", "{{.State.Pid}}", container)).EnsureSuccess().StdOut.Trim();

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

    internal static JsonElement Guard(string statusJson) => JsonDocument.Parse(statusJson).RootElement.GetProperty("vxlanGuard").Clone();

    private static uint Vni(string statusJson, string logicalId) =>
        JsonDocument.Parse(statusJson).RootElement.GetProperty("networks").EnumerateArray()
            .First(n => n.GetProperty("logicalId").GetString() == logicalId).GetProperty("vni").GetUInt32();
}
