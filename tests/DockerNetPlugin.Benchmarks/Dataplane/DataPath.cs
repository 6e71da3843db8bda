using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>
/// One way from h1 to h2 the data plane benchmark measures: where the client and the server run (a host, entered into a
/// container's network namespace through an argv prefix or not) and the address the client aims at; plus what it measured.
/// </summary>
internal sealed record DataPath(string Label, (SimHost Host, string[] Prefix) Client, (SimHost Host, string[] Prefix) Server, string Target)
{
    public Dictionary<int, IperfResult> Throughput { get; } = [];

    public List<double> PingMs { get; set; } = [];
}
