using System.Globalization;
using System.Text.RegularExpressions;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>
/// The largest ICMP payload that crosses the overlay with "don't fragment" set (<c>ping -M do -s N -c 1 -W 1</c>, binary search),
/// plus the underlay hosts' IP fragmentation counters (<c>Ip: FragCreates</c> of <c>/proc/net/snmp</c>) around the search: the
/// encapsulated packets must not have been fragmented on the way either.
/// </summary>
internal static partial class PathMtu
{
    public static async Task<int> LargestPayloadAsync(SimHost host, string[] prefix, string target, CancellationToken ct)
    {
        var (low, high) = (64, 9000);
        if (!await PassesAsync(host, prefix, target, low, ct))
        {
            throw new InvalidOperationException($"a {low}-byte ping with DF does not reach {target}");
        }

        while (high - low > 1)
        {
            var mid = (low + high) / 2;
            (low, high) = await PassesAsync(host, prefix, target, mid, ct) ? (mid, high) : (low, mid);
        }

        return low;
    }

    /// <summary>How many fragments the host's IP layer has created so far (its own network namespace).</summary>
    public static async Task<long> FragmentsCreatedAsync(SimHost host, CancellationToken ct)
    {
        var snmp = (await host.ExecAsync(["cat", "/proc/net/snmp"], ct)).EnsureSuccess().StdOut.Split('\n').Where(l => l.StartsWith("Ip:", StringComparison.Ordinal)).ToList();
        var names = snmp[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = snmp[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[Array.IndexOf(names, "FragCreates")], CultureInfo.InvariantCulture);
    }

    /// <summary>The MTU of <paramref name="device"/> where <paramref name="prefix"/> runs.</summary>
    public static async Task<int> MtuAsync(SimHost host, string[] prefix, string device, CancellationToken ct)
    {
        var link = (await host.ExecAsync([.. prefix, "ip", "-o", "link", "show", device], ct)).EnsureSuccess().StdOut;
        return int.Parse(Mtu().Match(link).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<bool> PassesAsync(SimHost host, string[] prefix, string target, int payload, CancellationToken ct) =>
        (await host.ExecAsync([.. prefix, "ping", "-n", "-M", "do", "-s", payload.ToString(CultureInfo.InvariantCulture), "-c", "1", "-W", "1", target], ct, TimeSpan.FromSeconds(10))).Succeeded;

    [GeneratedRegex(@" mtu (\d+) ")]
    private static partial Regex Mtu();
}
