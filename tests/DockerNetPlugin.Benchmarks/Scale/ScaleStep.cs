using DockerNetPlugin.Benchmarks.Beds;

namespace DockerNetPlugin.Benchmarks.Scale;

/// <summary>
/// One growth step: the network now has <paramref name="Peers"/> remote endpoints (<paramref name="Added"/> new ones); the store
/// took <paramref name="WrittenMs"/> to take the writes; the kernel held every entry <paramref name="ProgrammedMs"/> after the
/// first write; the plugin's memory a few seconds later.
/// </summary>
internal sealed record ScaleStep(int Peers, int Added, double WrittenMs, double ProgrammedMs, ProcessMemory Memory)
{
    public double MicrosecondsPerPeer => ProgrammedMs * 1000 / Added;
}
