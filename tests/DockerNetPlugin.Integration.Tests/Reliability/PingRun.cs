using System.Globalization;
using System.Text.RegularExpressions;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>What a busybox <c>ping</c> run reports: packets sent and answered, and which sequence numbers got no reply.</summary>
internal static partial class PingRun
{
    /// <summary>Sent and answered, from ping's closing statistics (0, 0 when it printed none).</summary>
    public static (int Sent, int Received) Counts(CommandResult ping)
    {
        var m = StatisticsLine().Match(ping.StdOut);
        return m.Success
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : (0, 0);
    }

    /// <summary>Ping's closing statistics, plus the sequence numbers that got no reply.</summary>
    public static string Summary(CommandResult ping)
    {
        var lines = ping.StdOut.Split('\n');
        var answered = lines.Select(l => Sequence().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        var max = answered.Count == 0 ? 0 : answered.Max();
        var lost = Enumerable.Range(0, max).Where(i => !answered.Contains(i)).ToList();
        return string.Join(" ", lines.SkipWhile(l => !l.Contains("statistics", StringComparison.Ordinal))) + (lost.Count > 0 ? $" (no reply to seq {string.Join(",", lost.Take(30))})" : "");
    }

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) packets received")]
    private static partial Regex StatisticsLine();

    [GeneratedRegex(@"seq=(\d+)")]
    private static partial Regex Sequence();
}
