namespace DockerNetPlugin.Benchmarks;

/// <summary>Summary numbers of repeated measurements.</summary>
internal static class Stats
{
    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
