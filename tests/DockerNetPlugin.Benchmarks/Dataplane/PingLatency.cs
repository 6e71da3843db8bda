using System.Globalization;
using System.Text.RegularExpressions;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>Round-trip times of <c>ping -c N -i 0.01</c> (iputils), one per reply, in milliseconds.</summary>
internal static partial class PingLatency
{
    public static async Task<List<double>> MeasureAsync(SimHost host, string[] prefix, string target, int count, CancellationToken ct)
    {
        var result = (await host.ExecAsync([.. prefix, "ping", "-n", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.01", target], ct, TimeSpan.FromSeconds(60))).EnsureSuccess();
        var times = Rtt().Matches(result.StdOut).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return times.Count > 0 ? times : throw new InvalidOperationException("no replies: " + result);
    }

    [GeneratedRegex(@"time=(\d+(?:\.\d+)?) ms")]
    private static partial Regex Rtt();
}
