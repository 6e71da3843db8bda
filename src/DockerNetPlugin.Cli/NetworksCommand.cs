using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary><c>dnp networks</c>: every logical network in the store, the hosts that joined it and its endpoints.</summary>
internal static class NetworksCommand
{
    public static Task<int> RunAsync(CliArguments args, PluginClient plugin, CancellationToken ct)
    {
        args.None("networks");
        return plugin.ShowAsync(OperatorApi.Prefix + "/networks", OperatorJsonContext.Default.NetworksView, args.Json, Print, ct);
    }

    private static void Print(NetworksView view)
    {
        var table = new TextTable("LOGICAL", "NAME", "VNI", "SUBNETS", "HOSTS", "ENDPOINTS", "HERE", "FLAGS");
        foreach (var n in view.Networks)
        {
            var hosts = n.Hosts.Count == 0 ? "-" : string.Join(",", n.Hosts.Select(h => (h.Locator ?? Cell.Short(h.HostId)) + (h.Live ? "" : $"({h.State})")));
            var flags = string.Join(",", new[] { n.Internal ? "internal" : null, n.EnableIPv6 ? "ipv6" : null, n.Removing ? "removing" : null }.OfType<string>());
            table.Add(n.Id, n.Name, Cell.Number(n.Vni), string.Join(",", n.Subnets), hosts, Cell.Number(n.Endpoints), Cell.Short(n.LocalDockerNetworkId), flags);
        }
        table.Write(Console.Out);
        if (table.Count == 0)
            Console.WriteLine("(no networks: create one with `docker network create -d dnp --ipam-driver dnp --subnet CIDR NAME`)");
    }
}
