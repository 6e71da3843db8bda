using System.Text;

namespace DockerNetPlugin.Benchmarks;

/// <summary>
/// BENCHMARKS.md: a header (machine, date, command of the last run) and one section per benchmark between
/// `&lt;!-- bench:NAME:begin --&gt;` and `&lt;!-- bench:NAME:end --&gt;`. Only the sections of benchmarks that ran are replaced;
/// new ones are appended in registry order.
/// </summary>
internal static class BenchmarksFile
{
    private const string HeaderBegin = "<!-- bench:header:begin -->";
    private const string HeaderEnd = "<!-- bench:header:end -->";

    internal static string Update(string existing, string header, string stamp, IReadOnlyList<(IBenchmark Benchmark, BenchmarkSection Section)> results)
    {
        var text = string.IsNullOrWhiteSpace(existing) ? $"# Benchmarks\n\n{HeaderBegin}\n{HeaderEnd}\n" : existing;
        text = Replace(text, HeaderBegin, HeaderEnd, header);
        foreach (var (benchmark, section) in results)
        {
            var begin = $"<!-- bench:{benchmark.Name}:begin -->";
            var end = $"<!-- bench:{benchmark.Name}:end -->";
            var body = $"## {benchmark.Title}\n\n{section.Markdown.TrimEnd()}\n\n{stamp}\n";
            text = text.Contains(begin, StringComparison.Ordinal)
                ? Replace(text, begin, end, body)
                : $"{text.TrimEnd()}\n\n{begin}\n{body}{end}\n";
        }

        return text;
    }

    private static string Replace(string text, string begin, string end, string body)
    {
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start)
        {
            throw new InvalidOperationException($"BENCHMARKS.md: markers {begin} / {end} are missing or out of order");
        }

        var builder = new StringBuilder(text.Length + body.Length);
        builder.Append(text, 0, start + begin.Length).Append('\n').Append(body.TrimEnd()).Append('\n').Append(text, stop, text.Length - stop);
        return builder.ToString();
    }
}
