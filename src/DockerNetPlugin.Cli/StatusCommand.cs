using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary><c>dnp status</c>: this host as the running plugin sees it (store, underlay, networks), as a table or the JSON.</summary>
internal static class StatusCommand
{
    public static Task<int> RunAsync(CliArguments args, PluginClient plugin, CancellationToken ct)
    {
        args.None("status");
        return plugin.ShowAsync(OperatorApi.Prefix + "/status", OperatorJsonContext.Default.StatusView, args.Json, Print, ct);
    }

    private static void Print(StatusView status)
    {
        Console.WriteLine($"host      {status.HostId}");
        Console.WriteLine($"locator   {status.Locator} ({status.UnderlayInterface}, overlay MTU {status.OverlayMtu})");
        Console.WriteLine(status.Dns is { } dns
            ? $"dns       {dns.Address} (daemon.json \"dns\": [\"{dns.Address}\"]; {dns.Queries} queries, {dns.AnsweredLocally} answered, {dns.Forwarded} forwarded)"
            : "dns       off (DNP_DNS_ADDRESS=off)");
        Console.WriteLine();
        var table = new TextTable("NETWORK", "LOGICAL", "VNI", "NAMESPACE", "SUBNETS", "LOCAL", "PEERS", "MULTICAST");
        foreach (var n in status.Networks)
        {
            table.Add(Cell.Short(n.DockerNetworkId), Cell.Short(n.LogicalId), Cell.Number(n.Vni), n.SandboxPresent ? n.Sandbox : "-",
                string.Join(",", n.Subnets), Cell.Number(n.LocalEndpoints), Cell.Number(n.RemotePeers), n.Multicast ? "on" : "off");
        }
        table.Write(Console.Out);
        if (status.Replication.Count == 0)
            return;
        // Replication: networks created on some host and what this host did about them (present, removing, conflict...).
        Console.WriteLine();
        var replication = new TextTable("NAME", "LOGICAL", "REPLICATION", "DETAIL");
        foreach (var r in status.Replication)
            replication.Add(r.Name, Cell.Short(r.LogicalId), r.State, r.Detail);
        replication.Write(Console.Out);
    }
}
