using DockerNetPlugin.Benchmarks.Attach;
using DockerNetPlugin.Benchmarks.Convergence;
using DockerNetPlugin.Benchmarks.Dataplane;
using DockerNetPlugin.Benchmarks.Footprint;
using DockerNetPlugin.Benchmarks.Names;
using DockerNetPlugin.Benchmarks.Multicast;
using DockerNetPlugin.Benchmarks.Netlink;
using DockerNetPlugin.Benchmarks.Scale;
using DockerNetPlugin.Benchmarks.Store;

namespace DockerNetPlugin.Benchmarks;

/// <summary>Every benchmark, in the order they appear in BENCHMARKS.md. Add new ones here.</summary>
internal static class BenchmarkRegistry
{
    internal static IReadOnlyList<IBenchmark> All { get; } =
    [
        new NetlinkPeersBenchmark(),
        new StoreBenchmark(),
        new AttachBenchmark(),
        new ConvergenceBenchmark(),
        new DataplaneBenchmark(),
        new MulticastBenchmark(),
        new ScaleBenchmark(),
        new FootprintBenchmark(),
        new DnsBenchmark(),
    ];

    /// <summary>The benchmarks named on the command line (all when none); throws naming unknown names.</summary>
    internal static IReadOnlyList<IBenchmark> Select(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
        {
            return All;
        }

        var unknown = names.Where(n => All.All(b => b.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown benchmark(s): {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(b => b.Name))}");
        }

        return All.Where(b => names.Contains(b.Name)).ToList();
    }
}
