using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>
/// One way from h1 to h2 the data plane benchmark measures: where the client and the server run (a host, entered into a
/// container's network namespace through an argv prefix or not) and the address the client aims at; plus what it measured.
/// </summary>
internal sealed record DataPath(string Label, (SimHost Host, string[] Prefix) Client, (SimHost Host, string[] Prefix) Server, string Target)
{
    /// <summary>Every iperf3 test, by number of streams.</summary>
    public Dictionary<int, List<IperfResult>> Tests { get; } = [];

    /// <summary>The fastest test with <paramref name="streams"/> streams (the one a passing spike of load hurt least).</summary>
    public IperfResult Best(int streams) => Tests[streams].MaxBy(t => t.BitsPerSecond)!;

    /// <summary>"best / other" in Gbit/s, so the spread between repetitions stays visible.</summary>
    public string Cell(int streams) => string.Join(" / ", Tests[streams].OrderByDescending(t => t.BitsPerSecond).Select(t => t.Gbps.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    public List<double> PingMs { get; set; } = [];
}
