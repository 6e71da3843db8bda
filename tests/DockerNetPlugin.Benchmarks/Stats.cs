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

    /// <summary>Nearest-rank percentile (<paramref name="percent"/> in 0..100): p95 of 50 samples is the 48th smallest, p99 of 30 the largest.</summary>
    internal static double Percentile(IReadOnlyList<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>
    /// Half-width of an approximate 95% confidence interval of the median (the box-plot notch: 1.58 × IQR / √n), to tell a
    /// difference of medians from noise.
    /// </summary>
    internal static double MedianHalfWidth(IReadOnlyList<double> values) =>
        1.58 * (Percentile(values, 75) - Percentile(values, 25)) / Math.Sqrt(values.Count);
}
