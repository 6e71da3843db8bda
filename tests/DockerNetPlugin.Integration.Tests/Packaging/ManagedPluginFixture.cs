using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// One simulated host whose dockerd runs dnp as a managed plugin made from <c>make plugin</c>'s output:
/// <c>docker plugin create</c>, its Docker socket mount pointed at this host's dockerd with <c>docker plugin set</c>,
/// then <c>docker plugin enable</c>. No legacy plugin runs.
/// </summary>
public sealed class ManagedPluginFixture : IAsyncLifetime
{
    public const string Plugin = "dnp";
    public const string Driver = Plugin + ":latest";

    public Testbed.Testbed Bed { get; private set; } = null!;

    public SimHost Host => Bed.Hosts[0];

    /// <summary>The plugin's id (its socket, rootfs and propagated mount are named after it).</summary>
    public string PluginId { get; private set; } = "";

    /// <summary>Where this host's dockerd keeps its state (<c>docker info</c>'s DockerRootDir).</summary>
    public string DockerRoot { get; private set; } = "";

    /// <summary>The plugin socket as this host sees it: <c>&lt;exec-root&gt;/plugins/&lt;id&gt;/dnp.sock</c>.</summary>
    public string SocketPath => Path.Combine(Bed.RunDirectory, Host.Name, "exec", "plugins", PluginId, "dnp.sock");

    /// <summary>The plugin's propagated mount (/var/lib/dnp inside it) as the host sees it.</summary>
    public string PropagatedMount => Path.Combine(DockerRoot, "plugins", PluginId, "propagated-mount");

    public async Task InitializeAsync()
    {
        var bundle = PluginBundle.Require();
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartInternet = false });
        (await Docker("plugin", "create", Plugin, bundle)).EnsureSuccess();
        (await Docker("plugin", "set", Plugin, "docker-socket.source=" + Host.DockerSocket)).EnsureSuccess();
        (await Docker("plugin", "enable", Plugin)).EnsureSuccess();
        PluginId = (await Docker("plugin", "inspect", "-f", "{{.Id}}", Plugin)).EnsureSuccess().StdOut.Trim();
        DockerRoot = (await Docker("info", "-f", "{{.DockerRootDir}}")).EnsureSuccess().StdOut.Trim();
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
