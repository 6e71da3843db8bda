using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp doctor [--repair]</c>: the drift between this host's kernel state, the store and Docker's view, as a table.
/// With <c>--repair</c> the plugin fixes what it can and checks again. Exit 0 when no drift remains, 1 otherwise.
/// </summary>
internal static class DoctorCommand
{
    public static async Task<int> RunAsync(CliArguments args, PluginClient plugin, CancellationToken ct)
    {
        args.None("doctor");
        var path = OperatorApi.Prefix + (args.Repair ? "/doctor/repair" : "/doctor");
        var (report, json) = await plugin.GetAsync(path, OperatorJsonContext.Default.DriftReportView, ct, post: args.Repair).ConfigureAwait(false);
        if (args.Json)
        {
            Console.WriteLine(json);
            return report.Clean ? 0 : 1;
        }
        if (args.Repair)
        {
            Console.WriteLine(report.Repaired.Count == 0 ? "repaired nothing" : $"repaired {report.Repaired.Count}:");
            Write(report.Repaired);
            Console.WriteLine();
        }
        foreach (var note in report.Notes)
            Console.WriteLine("note: " + note);
        if (report.Clean)
        {
            Console.WriteLine("no drift: kernel state matches the store and Docker");
            return 0;
        }
        Console.WriteLine($"drift remains ({report.Remaining.Count}):");
        Write(report.Remaining);
        if (!args.Repair && report.Remaining.Any(d => d.Repairable))
            Console.WriteLine("run `dnp doctor --repair` to fix the repairable ones");
        return 1;
    }

    private static void Write(IReadOnlyList<DriftItemView> items)
    {
        if (items.Count == 0)
            return;
        var table = new TextTable("NETWORK", "KIND", "OBJECT", "DETAIL");
        foreach (var d in items)
            table.Add(d.Network, d.Kind, d.Object, d.Detail);
        table.Write(Console.Out);
    }
}
