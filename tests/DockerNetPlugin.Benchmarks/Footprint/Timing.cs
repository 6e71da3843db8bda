namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>Median and range of repeated measurements, in milliseconds.</summary>
internal sealed record Timing(double Median, double Min, double Max)
{
    public static Timing Of(IReadOnlyList<double> values) => new(Stats.Median(values), values.Min(), values.Max());

    public override string ToString() => FormattableString.Invariant($"{Median:0} ({Min:0}–{Max:0})");
}
