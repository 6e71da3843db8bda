using System.Text.Json;
using DockerNetPlugin.Integration.Tests.Engines;
using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// dnp shipped the Docker way: the bundle <c>make plugin</c> builds, installed with <c>docker plugin create/enable</c>
/// into a real dockerd, used with <c>-d dnp:latest --ipam-driver dnp:latest</c>, reconfigured with <c>docker plugin set</c>,
/// disabled and enabled under a live network, logging into dockerd's log, its namespaces visible on the host.
/// (The netns mount makes them survive the plugin's restarts: Docker unmounts a plugin's propagated mount when it stops.)
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ManagedPluginTests(ManagedPluginFixture plugin, ITestOutputHelper output) : IClassFixture<ManagedPluginFixture>
{
    private const string Image = Testbed.Testbed.ImageName;

    [Fact]
    [Trait("Category", "Smoke")]
    public async Task ManagedPlugin_NetworkWithTwoContainers_PingLogsInDockerdAndNamespaceVisibleOnHost()
    {
        EngineCheck.AssertRunsSelectedEngine(plugin.Bed, output);
        var networkId = await CreateNetworkAsync("pk1", "10.41.0.0/24");
        try
        {
            await RunAsync("pk-a", "pk1");
            await RunAsync("pk-b", "pk1");
            var ipB = await IpOfAsync("pk-b", "pk1");

            var ping = await PingAsync("pk-a", ipB);
            var dockerdLog = await File.ReadAllTextAsync(plugin.Host.DockerdLogPath);
            var overlay = Path.Combine(plugin.NetnsDirectory, "dnp-" + networkId[..12]);
            var vxlan = await plugin.Host.ExecAsync("nsenter", "--net=" + overlay, "ip", "-d", "link", "show", "vxlan0");
            var netns = await plugin.Host.ExecAsync(PluginBinary.Path, "netns", "--json"); // finds the managed plugin's socket by itself

            Assert.True(ping.Succeeded, "containers on a managed-plugin network ping each other: " + ping);
            var pluginLines = dockerdLog.Split('\n').Where(l => l.Contains("plugin=" + plugin.PluginId, StringComparison.Ordinal)).ToList();
            Assert.Contains(pluginLines, l => l.Contains("listening on /run/docker/plugins/dnp.sock", StringComparison.Ordinal));
            Assert.Contains(pluginLines, l => l.Contains("ready: driver and IPAM started", StringComparison.Ordinal));
            Assert.True(vxlan.Succeeded, "the overlay namespace is visible on the host through the netns mount: " + vxlan);
            Assert.Contains("vxlan id", vxlan.StdOut, StringComparison.Ordinal);
            Assert.True(netns.Succeeded, netns.ToString());
            using var doc = JsonDocument.Parse(netns.StdOut);
            var row = doc.RootElement.GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "dnp-" + networkId[..12]);
            Assert.Equal("open", row.GetProperty("state").GetString());
        }
        finally
        {
            await RemoveAsync(["pk-a", "pk-b"], "pk1");
        }
    }

    [Fact]
    public async Task PluginSet_DisableSetEnableWithNetworkPresent_NetworkKeepsWorkingAndNewPortApplies()
    {
        await CreateNetworkAsync("pk2", "10.42.0.0/24");
        try
        {
            await RunAsync("pk-c", "pk2");
            await RunAsync("pk-d", "pk2");
            var ipD = await IpOfAsync("pk-d", "pk2");
            (await PingAsync("pk-c", ipD)).EnsureSuccess();

            var refused = await plugin.Docker("plugin", "disable", ManagedPluginFixture.Plugin);
            var disable = await plugin.Docker("plugin", "disable", "-f", ManagedPluginFixture.Plugin);
            var set = await plugin.Docker("plugin", "set", ManagedPluginFixture.Plugin, "DNP_VXLAN_PORT=4800");
            var enable = await plugin.Docker("plugin", "enable", ManagedPluginFixture.Plugin);
            var settings = await plugin.Docker("plugin", "inspect", "-f", "{{json .Settings.Env}}", ManagedPluginFixture.Plugin);
            var pingAfter = await PingAsync("pk-c", ipD);
            var pk3 = await CreateNetworkAsync("pk3", "10.43.0.0/24");
            await RunAsync("pk-e", "pk3");
            var vxlan = await plugin.Host.ExecAsync("nsenter", "--net=" + Path.Combine(plugin.NetnsDirectory, "dnp-" + pk3[..12]),
                "ip", "-d", "link", "show", "vxlan0");

            Assert.False(refused.Succeeded, "Docker keeps a plugin its networks use unless -f: " + refused);
            Assert.Contains("in use", refused.StdErr, StringComparison.Ordinal);
            Assert.True(disable.Succeeded, disable.ToString());
            Assert.True(set.Succeeded, set.ToString());
            Assert.True(enable.Succeeded, enable.ToString());
            Assert.Contains("DNP_VXLAN_PORT=4800", settings.StdOut, StringComparison.Ordinal);
            Assert.True(pingAfter.Succeeded, "containers keep talking after disable/enable: " + pingAfter);
            Assert.True(vxlan.Succeeded, vxlan.ToString());
            Assert.Contains("dstport 4800", vxlan.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveAsync(["pk-c", "pk-d", "pk-e"], "pk2", "pk3");
            await plugin.Docker("plugin", "disable", "-f", ManagedPluginFixture.Plugin);
            await plugin.Docker("plugin", "set", ManagedPluginFixture.Plugin, "DNP_VXLAN_PORT=4789");
            await plugin.Docker("plugin", "enable", ManagedPluginFixture.Plugin);
        }
    }

    private async Task<string> CreateNetworkAsync(string name, string subnet) =>
        (await plugin.Docker("network", "create", "-d", ManagedPluginFixture.Driver, "--ipam-driver", ManagedPluginFixture.Driver, "--subnet", subnet, name))
            .EnsureSuccess().StdOut.Trim();

    private async Task RunAsync(string name, string network) =>
        (await plugin.Docker("run", "-d", "--name", name, "--network", network, Image, "sleep", "3600")).EnsureSuccess();

    private async Task<string> IpOfAsync(string container, string network) =>
        (await plugin.Docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container)).EnsureSuccess().StdOut.Trim();

    private async Task<CommandResult> PingAsync(string from, string ip)
    {
        var result = await plugin.Docker("exec", from, "ping", "-c", "2", "-W", "3", ip);
        for (var i = 0; i < 3 && !result.Succeeded; i++)
            result = await plugin.Docker("exec", from, "ping", "-c", "2", "-W", "3", ip);
        return result;
    }

    private async Task RemoveAsync(string[] containers, params string[] networks)
    {
        await plugin.Docker(["rm", "-f", .. containers]);
        foreach (var network in networks)
            await plugin.Docker("network", "rm", network);
    }
}
