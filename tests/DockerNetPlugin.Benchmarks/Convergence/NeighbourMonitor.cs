using System.Globalization;
using System.Text.RegularExpressions;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Convergence;

/// <summary>
/// <c>ip -ts monitor neigh</c> in a network namespace of a simulated host: when each neighbour entry appeared, with the
/// kernel notification's arrival time (microseconds, this machine's clock).
/// </summary>
internal sealed partial class NeighbourMonitor
{
    private const string ProcessName = "neigh-monitor";
    private readonly SimHost _host;

    private NeighbourMonitor(SimHost host) => _host = host;

    public static async Task<NeighbourMonitor> StartAsync(SimHost host, string namespacePath)
    {
        await host.StartProcessAsync(ProcessName, ["nsenter", "--net=" + namespacePath, "ip", "-ts", "monitor", "neigh"]);
        return new NeighbourMonitor(host);
    }

    /// <summary>Stops the monitor and returns, per IP, when its first PERMANENT entry appeared.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> StopAsync()
    {
        await _host.StopProcessAsync(ProcessName);
        var added = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (Match m in Added().Matches(await File.ReadAllTextAsync(_host.LogPath(ProcessName))))
        {
            var at = DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);
            added.TryAdd(m.Groups[2].Value, new DateTimeOffset(at));
        }

        return added;
    }

    [GeneratedRegex(@"^\[([0-9T:.-]+)\] (\d+\.\d+\.\d+\.\d+) dev \S+ lladdr \S+ PERMANENT", RegexOptions.Multiline)]
    private static partial Regex Added();
}
