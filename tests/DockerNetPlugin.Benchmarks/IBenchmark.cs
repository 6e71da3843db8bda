namespace DockerNetPlugin.Benchmarks;

/// <summary>One benchmark: measures something and renders its own section of BENCHMARKS.md.</summary>
internal interface IBenchmark
{
    /// <summary>Short id used on the command line and in the section markers (e.g. "netlink-peers").</summary>
    string Name { get; }

    /// <summary>Heading of the section.</summary>
    string Title { get; }

    Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken);
}
