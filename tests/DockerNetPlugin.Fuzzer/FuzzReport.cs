using System.Globalization;
using System.Text;

namespace DockerNetPlugin.Fuzzer;

/// <summary>The outcome of a run: what was sent, how it was answered, what broke, and what was left behind.</summary>
public sealed record FuzzReport
{
    public required FuzzOptions Options { get; init; }

    /// <summary>Requests of the fuzz phase (clean-up and checks not included).</summary>
    public required int Sent { get; init; }

    public required int ClosingRequests { get; init; }

    public required IReadOnlyList<MethodCounts> Methods { get; init; }

    /// <summary>How many findings there were; <see cref="Findings"/> keeps the first 200.</summary>
    public required int FindingCount { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>What the closing phase found still there after deleting everything the fuzz made.</summary>
    public required IReadOnlyList<string> Leaks { get; init; }

    /// <summary>Why the run stopped early (the socket went away), or null.</summary>
    public string? Aborted { get; init; }

    /// <summary>Whether the plugin still answered <c>/Plugin.Activate</c> at the end.</summary>
    public required bool AliveAtEnd { get; init; }

    public required TimeSpan Duration { get; init; }

    public required (double P50, double P99, double Max) LatencyMs { get; init; }

    /// <summary>The slowest calls with what they carried.</summary>
    public required IReadOnlyList<string> Slowest { get; init; }

    public bool Clean => FindingCount == 0 && Leaks.Count == 0 && Aborted is null && AliveAtEnd;

    public string ToText()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"fuzz: {Sent} requests (seed {Options.Seed}, {Options.Parallel} worker(s)) in {Duration.TotalSeconds:0.0} s; closing phase {ClosingRequests} requests");
        sb.AppendLine(c, $"latency ms: p50 {LatencyMs.P50:0.0}, p99 {LatencyMs.P99:0.0}, max {LatencyMs.Max:0.0}");
        foreach (var slow in Slowest)
            sb.AppendLine(c, $"  slow: {slow}");
        sb.AppendLine(c, $"{"method",-45} {"success",8} {"error",8} {"finding",8} {"mean ms",8}");
        foreach (var m in Methods)
            sb.AppendLine(c, $"{m.Method,-45} {m.Success,8} {m.Error,8} {m.Findings,8} {m.MeanMs,8:0.0}");
        if (Aborted is not null)
            sb.AppendLine(c, $"ABORTED: {Aborted}");
        sb.AppendLine(c, $"plugin alive at end: {(AliveAtEnd ? "yes" : "NO")}");
        sb.AppendLine(c, $"findings: {FindingCount}");
        foreach (var kind in Findings.GroupBy(f => $"{f.Path}: {Excerpt.Of(f.Problem, 90)}", StringComparer.Ordinal).OrderByDescending(g => g.Count()))
            sb.AppendLine(c, $"  {kind.Count(),5} x {kind.Key}");
        foreach (var f in Findings.Take(20))
            sb.AppendLine(f.ToString());
        if (FindingCount > 20)
            sb.AppendLine(c, $"... {FindingCount - 20} more");
        sb.AppendLine(c, $"leaks: {Leaks.Count}");
        foreach (var leak in Leaks)
            sb.AppendLine("  " + leak);
        sb.Append(Clean ? "result: clean" : "result: FINDINGS");
        return sb.ToString();
    }
}
