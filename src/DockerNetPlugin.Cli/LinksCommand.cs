using System.Collections;
using System.Globalization;
using System.Text.Json;
using DockerNetPlugin.Cli.Kernel;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp links IFINDEX</c>: which namespaces hold an interface with this index (this host's, the overlay namespaces,
/// Docker's sandboxes) and, for a veth, where its peer is. The usual question: "a container's eth0 says iflink 17 —
/// which veth is that?". Exit 1 when no namespace has the index. Works without the plugin (it only helps find the
/// overlay directory).
/// </summary>
internal static class LinksCommand
{
    public static async Task<int> RunAsync(CliArguments args, PluginClient plugin, IDictionary environment, CancellationToken ct)
    {
        var text = args.Single("links", "IFINDEX");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index <= 0)
            throw new CliException($"IFINDEX must be a positive interface index (e.g. from `cat /sys/class/net/eth0/iflink`), not '{text}'", 2);
        var (directory, _) = await OverlayDirectory.LoadAsync(environment, plugin, Console.Error, ct).ConfigureAwait(false);
        using var catalog = await NamespaceCatalog.OpenAsync(environment, directory, Console.Error, ct).ConfigureAwait(false);
        var matches = LinkFinder.Find(index, catalog.Namespaces);
        var report = new LinksReport(index, catalog.Namespaces.Select(n => n.View).ToList(), matches);
        if (args.Json)
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.LinksReport));
        else
            Print(report);
        if (matches.Count == 0)
        {
            var overlays = report.Searched.Count(n => n.Kind == NamespaceView.OverlayKind);
            var sandboxes = report.Searched.Count(n => n.Kind == NamespaceView.DockerKind);
            throw new CliException($"no interface has index {index} in this host's namespace, {overlays} overlay namespace(s) under {directory} or {sandboxes} Docker sandbox(es)");
        }
        return 0;
    }

    private static void Print(LinksReport report)
    {
        var table = new TextTable("NAMESPACE", "IFINDEX", "NAME", "TYPE", "MTU", "MAC", "MASTER", "PEER-NAMESPACE", "PEER-IFINDEX", "PEER-NAME");
        foreach (var m in report.Matches)
        {
            var peerIndex = m.Peer?.Link.Index ?? (m.Link.Kind == "veth" ? m.Link.LinkIndex : null);
            table.Add(m.Namespace.Label, Cell.Number(m.Link.Index), m.Link.Name, m.Link.Kind, Cell.Number(m.Link.Mtu), m.Link.Mac, m.Link.Master,
                m.Peer?.Namespace.Label ?? (peerIndex is null ? null : "(not scanned)"), Cell.Number(peerIndex), m.Peer?.Link.Name);
        }
        if (table.Count > 0)
            table.Write(Console.Out);
        var involved = report.Matches.SelectMany(m => m.Peer is null ? [m.Namespace] : new[] { m.Namespace, m.Peer.Namespace })
            .Where(n => n.Kind != NamespaceView.HostKind).Distinct().ToList();
        if (involved.Count == 0)
            return;
        Console.WriteLine();
        foreach (var n in involved)
            Console.WriteLine($"{n.Label}: nsenter --net={n.Path}");
    }
}
