using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp names [NET]</c>: what the resolvers answer on every dnp network (or on NET, a network's Docker name or
/// logical id): each endpoint's container name, aliases, addresses and the host that publishes it.
/// </summary>
internal static class NamesCommand
{
    public static Task<int> RunAsync(CliArguments args, PluginClient plugin, CancellationToken ct)
    {
        var net = args.Optional("names", "NET");
        var path = OperatorApi.Prefix + "/names" + (net is null ? "" : "?network=" + Uri.EscapeDataString(net));
        return plugin.ShowAsync(path, OperatorJsonContext.Default.NamesView, args.Json, Print, ct);
    }

    private static void Print(NamesView view)
    {
        Console.WriteLine(view.ResolverAddress is null ? "resolver  off" : $"resolver  {view.ResolverAddress}");
        Console.WriteLine();
        var table = new TextTable("NETWORK", "NAME", "ALIASES", "IPV4", "IPV6", "HOST");
        foreach (var n in view.Names.OrderBy(n => n.Network ?? n.LogicalId, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal))
            table.Add(n.Network ?? Cell.Short(n.LogicalId), n.Name, n.Aliases.Count == 0 ? "-" : string.Join(",", n.Aliases), n.IPv4, n.IPv6, Cell.Short(n.HostId));
        table.Write(Console.Out);
    }
}
