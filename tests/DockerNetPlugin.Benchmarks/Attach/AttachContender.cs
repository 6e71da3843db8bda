using DockerNetPlugin.Benchmarks.Beds;

namespace DockerNetPlugin.Benchmarks.Attach;

/// <summary>
/// One network a container is attached to, how many measured runs it gets, and the dnp instance behind it (null for Docker's
/// own drivers).
/// </summary>
internal sealed record AttachContender(string Label, string Network, int Runs, PluginProcess? Plugin = null)
{
    public List<double> Milliseconds { get; } = [];

    public double Median => Stats.Median(Milliseconds);
}
