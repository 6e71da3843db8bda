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
        if (status.VxlanGuard is { } g)
        {
            Console.WriteLine(g.State == "active"
                ? $"guard     UDP {g.Port}: {g.Vteps} VTEPs allowed, dropped {g.DroppedPackets} datagrams ({g.DroppedBytes} bytes) from other sources"
                : $"guard     UDP {g.Port}: {g.State}{(g.Problem is null ? "" : " - " + g.Problem)}");
        }
        if (status.KeyLayout is { } layout)
            Console.WriteLine($"keys      {layout.Mode}: writes {string.Join(" and ", layout.Writes)}{(layout.Moving ? " (moving this host's records)" : "")}");
        if (status.PendingVethDeletions is > 0)
            Console.WriteLine($"veths     {status.PendingVethDeletions} being deleted after Leave");
        Console.WriteLine();
        var table = new TextTable("NETWORK", "LOGICAL", "VNI", "NAMESPACE", "SUBNETS", "LOCAL", "PEERS", "MULTICAST");
        foreach (var n in status.Networks)
        {
            table.Add(Cell.Short(n.DockerNetworkId), Cell.Short(n.LogicalId), Cell.Number(n.Vni), n.SandboxPresent ? n.Sandbox : "-",
                string.Join(",", n.Subnets), Cell.Number(n.LocalEndpoints), Cell.Number(n.RemotePeers), n.Multicast ? "on" : "off");
        }
        table.Write(Console.Out);
        if (status.Replication.Count > 0)
        {
            // Replication: networks created on some host and what this host did about them (present, removing, conflict...).
            Console.WriteLine();
            var replication = new TextTable("NAME", "LOGICAL", "REPLICATION", "DETAIL");
            foreach (var r in status.Replication)
                replication.Add(r.Name, Cell.Short(r.LogicalId), r.State, r.Detail);
            replication.Write(Console.Out);
        }
        PrintLoops(status.Loops);
        PrintInvalid(status.InvalidRecords);
    }

    /// <summary>Background loops: a restarting one (or one with restarts) is what an operator looks for.</summary>
    private static void PrintLoops(IReadOnlyList<LoopHealthView>? loops)
    {
        if (loops is null || loops.Count == 0)
            return;
        Console.WriteLine();
        var table = new TextTable("LOOP", "STATE", "RESTARTS", "LAST ERROR");
        foreach (var l in loops)
            table.Add(l.Name, l.State, Cell.Number(l.Restarts), l.LastError is null ? "-" : $"{l.LastErrorAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture)} {l.LastError}");
        table.Write(Console.Out);
    }

    /// <summary>Store records skipped as invalid: the count always, then the listed ones with their reasons.</summary>
    private static void PrintInvalid(InvalidRecordsView? invalid)
    {
        if (invalid is null)
            return;
        Console.WriteLine();
        Console.WriteLine($"invalid store records: {invalid.Count} (skipped, never programmed; see `dnp doctor`)");
        if (invalid.Count == 0)
            return;
        var table = new TextTable("KEY", "SEEN", "REASON");
        foreach (var r in invalid.Records)
            table.Add(r.Key, Cell.Number(r.Times), r.Reason);
        table.Write(Console.Out);
        if (invalid.Count > invalid.Records.Count)
            Console.WriteLine($"... and {invalid.Count - invalid.Records.Count} more");
    }
}
