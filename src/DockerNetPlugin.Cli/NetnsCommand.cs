using System.Collections;
using System.Text.Json;
using DockerNetPlugin.Cli.Kernel;
using DockerNetPlugin.Contract;
using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp netns</c>: the overlay namespaces, as mounted under the overlay directory and as the plugin knows them, with
/// the interfaces inside and the VNI/port vxlan0 really has. Exit 1 when the plugin cannot be asked (the kernel's view
/// is still printed).
/// </summary>
internal static class NetnsCommand
{
    public static async Task<int> RunAsync(CliArguments args, PluginClient plugin, IDictionary environment, CancellationToken ct)
    {
        args.None("netns");
        var (directory, view) = await OverlayDirectory.LoadAsync(environment, plugin, Console.Error, ct).ConfigureAwait(false);
        var known = view?.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal) ?? [];
        var mounted = NamespaceCatalog.MountedNamespaces(directory).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.StartsWith(NamespaceCatalog.OverlayPrefix, StringComparison.Ordinal));
        var rows = known.Keys.Union(mounted, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => Row(name, Path.Combine(directory, name), known.GetValueOrDefault(name), view is not null))
            .ToList();
        var report = new NetnsReport(directory, view is not null, rows);
        if (args.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.NetnsReport));
        }
        else
        {
            var table = new TextTable("NAME", "STATE", "LOGICAL", "VNI", "DOCKER-NETWORKS", "INTERFACES", "VXLAN0", "PATH");
            foreach (var r in rows)
            {
                var vxlan = r.KernelVni is { } vni ? $"vni {Cell.Number(vni)} port {Cell.Number(r.VxlanPort)}" : null;
                table.Add(r.Name, r.State, r.LogicalId, Cell.Number(r.Vni), string.Join(",", r.DockerNetworkIds.Select(Cell.Short)),
                    string.Join(",", r.Interfaces), vxlan, r.Path);
            }
            table.Write(Console.Out);
        }
        return view is null ? 1 : 0;
    }

    private static NetnsRow Row(string name, string path, NetnsEntryView? known, bool pluginReachable)
    {
        var interfaces = new List<string>();
        Netlink.Model.VxlanInfo? vxlan = null;
        var isMounted = NetNs.Exists(path);
        if (isMounted)
        {
            try
            {
                using var ns = OpenNamespace.Open(new NamespaceView(NamespaceView.OverlayKind, name, path, null));
                var links = ns.Rtnl.LinkList();
                interfaces.AddRange(links.Where(l => l.Name != "lo").Select(l => l.Name));
                vxlan = links.FirstOrDefault(l => l.Vxlan is not null)?.Vxlan;
            }
            catch (NetlinkException e)
            {
                Console.Error.WriteLine($"dnp: cannot look into {path}: {e.Message}");
            }
        }
        var state = (pluginReachable, known, isMounted) switch
        {
            (false, _, _) => "mounted",
            (true, null, _) => "stale",
            (true, { Open: true, GraceUntil: not null }, true) => "grace",
            (true, { Open: true }, true) => "open",
            (true, { Open: true }, false) => "missing",
            (true, _, true) => "idle",
            _ => "not-built",
        };
        return new NetnsRow(name, path, state, known?.LogicalId, known?.Vni, known?.DockerNetworkIds ?? [], interfaces, vxlan?.Vni, vxlan?.Port, known?.GraceUntil);
    }
}
