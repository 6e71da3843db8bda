using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// One simulated host whose dockerd runs dnp as a managed plugin made from <c>make plugin</c>'s output:
/// <c>docker plugin create</c>; with <c>docker plugin set</c> its Docker socket mount pointed at this host's dockerd
/// and its netns mount at a shared directory of this host (what <c>/run/netns</c> is on a systemd host); then
/// <c>docker plugin enable</c>. No legacy plugin runs.
/// </summary>
public sealed class ManagedPluginFixture : IAsyncLifetime
{
    public const string Plugin = "dnp";
    public const string Driver = Plugin + ":latest";

    public Testbed.Testbed Bed { get; private set; } = null!;

    public SimHost Host => Bed.Hosts[0];

    /// <summary>The plugin's id (its socket, rootfs and propagated mount are named after it).</summary>
    public string PluginId { get; private set; } = "";

    /// <summary>The host directory the plugin's netns mount binds (its /run/netns): overlay namespaces appear here.</summary>
    public string NetnsDirectory => Path.Combine(Bed.RunDirectory, Host.Name, "managed-netns");

    /// <summary>The plugin socket (test-process path). dockerd keeps managed plugins' sockets in /run/docker/plugins/&lt;id&gt;/ whatever its exec root.</summary>
    public string SocketPath => Path.Combine(Host.PluginSocketDir, PluginId, "dnp.sock");

    public async Task InitializeAsync()
    {
        var bundle = PluginBundle.Require();
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartInternet = false });
        // Like `ip netns add` does for /run/netns: a directory that is a shared mount point (the host's mount namespace is private).
        (await Host.ExecAsync("sh", "-c", $"mkdir -p {NetnsDirectory} && mount --bind {NetnsDirectory} {NetnsDirectory} && mount --make-shared {NetnsDirectory}")).EnsureSuccess();
        (await Docker("plugin", "create", Plugin, bundle)).EnsureSuccess();
        (await Docker("plugin", "set", Plugin, "docker-socket.source=" + Host.DockerSocket, "netns.source=" + NetnsDirectory)).EnsureSuccess();
        (await Docker("plugin", "enable", Plugin)).EnsureSuccess();
        PluginId = (await Docker("plugin", "inspect", "-f", "{{.Id}}", Plugin)).EnsureSuccess().StdOut.Trim();
    }

    public Task<CommandResult> Docker(params string[] args) => Host.DockerAsync(args, CancellationToken.None, TimeSpan.FromSeconds(120));

    public async Task DisposeAsync()
    {
        if (Bed is null)
            return;
        try
        {
            var containers = (await Docker("ps", "-aq")).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (containers.Length > 0)
                await Docker(["rm", "-f", .. containers]);
            var networks = (await Docker("network", "ls", "-q", "--filter", "driver=" + Driver)).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var network in networks)
                await Docker("network", "rm", network);
            await Docker("plugin", "disable", "-f", Plugin);
            await Docker("plugin", "rm", "-f", Plugin);
        }
        finally
        {
            await Bed.DisposeAsync();
        }
    }
}
