using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp peers NET</c>: a network's endpoints as this host programs them (host, addresses, MAC, VTEP). NET is a
/// logical network id or name, or a Docker network id of this host. Exit 1 for a network nobody knows.
/// </summary>
internal static class PeersCommand
{
    public static Task<int> RunAsync(CliArguments args, PluginClient plugin, CancellationToken ct)
    {
        var net = args.Single("peers", "NET");
        return plugin.ShowAsync($"{OperatorApi.Prefix}/networks/{Uri.EscapeDataString(net)}/peers", OperatorJsonContext.Default.PeersView, args.Json, Print, ct);
    }

    private static void Print(PeersView view)
    {
        Console.WriteLine($"network   {view.LogicalId}{(view.Name is null ? "" : $" ({view.Name})")}, VNI {Cell.Number(view.Vni)}, here {Cell.Short(view.LocalDockerNetworkId)}");
        Console.WriteLine();
        var table = new TextTable("ENDPOINT", "HOST", "IPV4", "IPV6", "MAC", "VTEP", "WHERE", "STATE");
        foreach (var p in view.Peers)
            table.Add(Cell.Short(p.EndpointId), Cell.Short(p.HostId), p.IPv4, p.IPv6, p.Mac, p.Vtep, p.Local ? "local" : "remote", p.State);
        table.Write(Console.Out);
    }
}
