using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.SingleHost;

/// <summary>What a user does on one host with the docker CLI, and what they would look at afterwards.</summary>
internal sealed class HostScenario(SimHost host)
{
    public const string Image = Testbed.Testbed.ImageName;

    public SimHost Host => host;

    public async Task<string> CreateNetworkAsync(string name, params string[] extra)
    {
        var result = await Docker(["network", "create", "-d", "dnp", "--ipam-driver", "dnp", .. extra, name]);
        return result.EnsureSuccess().StdOut.Trim();
    }

    public Task<CommandResult> TryCreateNetworkAsync(string name, params string[] extra) =>
        Docker(["network", "create", "-d", "dnp", "--ipam-driver", "dnp", .. extra, name]);

    public async Task RunAsync(string name, string network, params string[] extra)
    {
        string[] command = extra.Length > 0 ? extra : ["sleep", "3600"];
        (await Docker(["run", "-d", "--name", name, "--network", network, Image, .. command])).EnsureSuccess();
    }

    public async Task<string> IpOfAsync(string container, string network) =>
        (await Docker(["inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container])).EnsureSuccess().StdOut.Trim();

    public async Task<string> Ipv6OfAsync(string container, string network) =>
        (await Docker(["inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").GlobalIPv6Address}}", container])).EnsureSuccess().StdOut.Trim();

    public async Task<bool> NetworkExistsAsync(string name) => (await Docker(["network", "inspect", name])).Succeeded;

    /// <summary>Asserts that network <paramref name="name"/> exists here within <paramref name="within"/> (replicated from another host).</summary>
    public async Task AssertNetworkAppearsAsync(string name, TimeSpan within) =>
        Assert.True(await Eventually.HoldsAsync(() => NetworkExistsAsync(name), within), $"{name} must appear on {host.Name}");

    /// <summary><c>docker network inspect -f FORMAT NAME</c>.</summary>
    public async Task<string> InspectNetworkAsync(string name, string format) =>
        (await Docker(["network", "inspect", "-f", format, name])).EnsureSuccess().StdOut.Trim();

    /// <summary>What <c>dnp status --json</c> prints in this host.</summary>
    public async Task<string> StatusJsonAsync() => (await host.ExecAsync(PluginBinary.Path, "status", "--json")).EnsureSuccess().StdOut;

    public Task<CommandResult> ExecAsync(string container, params string[] command) => Docker(["exec", container, .. command]);

    public Task<CommandResult> PingAsync(string from, string ip) => ExecAsync(from, "ping", "-c", "2", "-W", "3", ip);

    /// <summary>Pings until a reply comes (a peer's entries may still be on their way), at most six rounds.</summary>
    public async Task<CommandResult> PingEventuallyAsync(string from, string ip)
    {
        var result = await PingAsync(from, ip);
        for (var i = 0; i < 5 && !result.Succeeded; i++)
            result = await PingAsync(from, ip);
        return result;
    }

    /// <summary>A command inside a dnp overlay namespace, e.g. <c>ip -d link show vxlan0</c>.</summary>
    public Task<CommandResult> InOverlayAsync(string networkId, params string[] command) =>
        host.ExecAsync(["nsenter", "--net=" + OverlayPath(networkId), .. command]);

    /// <summary>The namespace of a logical network: <c>dnp-</c> + the first 12 characters of its id (a Docker ID, or the <c>-o dnp.network</c> name).</summary>
    public string OverlayPath(string logicalId) => Path.Combine(host.NetnsDir, "dnp-" + logicalId[..Math.Min(12, logicalId.Length)]);

    public async Task RemoveAsync(string[] containers, params string[] networks)
    {
        if (containers.Length > 0)
            await Docker(["rm", "-f", .. containers]);
        foreach (var n in networks)
            await Docker(["network", "rm", n]);
    }

    /// <summary>Devices the plugin left in the host namespace (container ends of veths, vxlans not yet moved).</summary>
    public async Task<string[]> PluginDevicesInHostAsync()
    {
        var links = (await host.ExecAsync("ip", "-o", "link", "show")).EnsureSuccess().StdOut;
        return links.Split('\n').Select(l => l.Split(':', 3)).Where(p => p.Length > 1).Select(p => p[1].Trim().Split('@')[0])
            .Where(n => n.StartsWith("dnpc", StringComparison.Ordinal) || n.StartsWith("vx-", StringComparison.Ordinal)).ToArray();
    }

    private Task<CommandResult> Docker(IReadOnlyList<string> args) => host.DockerAsync(args, CancellationToken.None, TimeSpan.FromSeconds(180));
}
