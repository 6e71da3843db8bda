using System.Diagnostics;
using System.Globalization;
using System.Text;
using DockerNetPlugin.Benchmarks.Beds;

namespace DockerNetPlugin.Benchmarks.Scale;

/// <summary>
/// Scale and memory: a dnp network with one local container on one host (real dockerd, real etcd); remote endpoints are
/// injected as endpoint records straight into etcd (as 100 other hosts would publish them) so the network grows to 100, then
/// 1,000, then 10,000 remote peers. Per step: time from the first write until every neighbour and FDB entry is in the overlay
/// namespace (polled with netlink dumps), and the plugin's RSS (<c>/proc/PID/status</c>). Also RSS idle (started, no network).
/// Target (issue 8): idle RSS ≤ 100 MB.
/// </summary>
internal sealed class ScaleBenchmark : IBenchmark
{
    private const string Network = "scale";
    private const double IdleTargetMb = 100;
    private static readonly int[] s_sizes = [100, 1_000, 10_000];
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "scale";

    public string Title => "scale: programming 100 → 1,000 → 10,000 remote peers, and the plugin's memory";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        await using var bed = await BenchBed.StartAsync(hosts: 1, etcd: true, cancellationToken);
        var host = bed.Hosts[0];
        var plugin = await BenchBed.StartPluginAsync(host, BenchBed.DefaultDriver, null, cancellationToken);
        await Task.Delay(s_idle, cancellationToken);
        var idle = plugin.Memory();

        await host.CreateDnpNetworkAsync(plugin.Driver, Network, InjectedEndpoints.Subnet, 7007, cancellationToken);
        await host.RunSleeperAsync("scale-a", Network, null, cancellationToken);
        await Task.Delay(s_settle, cancellationToken);
        var local = plugin.Memory();

        var underlayPrefix = string.Join('.', host.UnderlayIp.GetAddressBytes()[..3]) + ".";
        using var counter = new PeerCounter(plugin.OverlayNamespacePath(Network));
        var steps = new List<ScaleStep>();
        var current = 0;
        foreach (var size in s_sizes)
        {
            Console.WriteLine($"  {current} → {size} remote peers");
            using var injector = await EndpointInjector.StartAsync(bed.Etcd, Network, current, size - current, underlayPrefix, cancellationToken);
            var clock = Stopwatch.StartNew();
            injector.Go();
            var programmed = await counter.WaitProgrammedAsync(size, clock, s_limit, cancellationToken);
            var written = await injector.WrittenAsync(cancellationToken);
            await Task.Delay(s_settle, cancellationToken);
            steps.Add(new ScaleStep(size, size - current, written, programmed, plugin.Memory()));
            current = size;
        }

        return new BenchmarkSection(Render(bed.Dockerd, idle, local, steps));
    }

    private static string Render(string dockerd, ProcessMemory idle, ProcessMemory local, List<ScaleStep> steps)
    {
        var text = new StringBuilder();
        text.Append(Inv, $"""
            One simulated host (own {dockerd}) runs the plugin against a real etcd; a dnp network ({InjectedEndpoints.Subnet}) has one
            local container. Remote endpoints are injected as endpoint records straight into etcd, as {InjectedEndpoints.FakeHosts} other
            hosts would publish them, each host registered first with its locator, which the plugin checks every record against (the product's etcd client, transactions of 64 records, 4 writers); the plugin learns them
            through its one prefix watch. "Programmed" = time from the first write until the overlay namespace's vxlan0 holds a
            PERMANENT neighbour and a remote-VTEP FDB entry for every remote endpoint (polled with netlink dumps every ~5 ms). RSS
            from `/proc/PID/status` {s_settle.TotalSeconds:F0} s after each step (anon = GC heap, JIT code, native; shmem = .NET's
            double-mapped executable memory; file = mapped binaries).

            | state | remote peers | records written in | all programmed after | lag after the last write | per added peer | plugin RSS (anon / shmem / file) | peak RSS |
            |---|---:|---:|---:|---:|---:|---:|---:|
            | idle: started, no network, {s_idle.TotalSeconds:F0} s after ready | 0 | | | | | {idle.Describe()} | {idle.PeakRssKb / 1024.0:F1} MB |
            | network + 1 local container | 0 | | | | | {local.Describe()} | {local.PeakRssKb / 1024.0:F1} MB |

            """);
        var previous = 0;
        foreach (var s in steps)
        {
            text.Append(Inv, $"| grown {previous:N0} → {s.Peers:N0} | {s.Peers:N0} | {s.WrittenMs:F0} ms | {s.ProgrammedMs:F0} ms | {Math.Max(0, s.ProgrammedMs - s.WrittenMs):F0} ms | ")
                .Append(Inv, $"{s.MicrosecondsPerPeer:F0} µs | {s.Memory.Describe()} | {s.Memory.PeakRssKb / 1024.0:F1} MB |\n");
            previous = s.Peers;
        }

        var last = steps[^1];
        var middle = steps[^2];
        var growth = last.MicrosecondsPerPeer / middle.MicrosecondsPerPeer;
        text.Append(Inv, $"""

            - Linear? Per added peer, the {middle.Added:N0}-peer step cost {middle.MicrosecondsPerPeer:F0} µs and the {last.Added:N0}-peer step {last.MicrosecondsPerPeer:F0} µs
              ({growth:F2}×; 1.00× is exactly linear, below it the fixed cost of a step is being spread): {(growth <= 1.5 ? "linear or better" : "**worse than linear**")}.
            - Plugin RSS with {steps.Single(s => s.Peers == 1_000).Peers:N0} remote peers: {steps.Single(s => s.Peers == 1_000).Memory.RssMb:F1} MB; with {last.Peers:N0}: {last.Memory.RssMb:F1} MB.
            - Target idle RSS ≤ {IdleTargetMb:F0} MB: {Verdict.Of(idle.RssMb <= IdleTargetMb)} ({idle.RssMb:F1} MB{(idle.RssMb <= IdleTargetMb ? string.Empty : string.Create(Inv, $", over by {idle.RssMb - IdleTargetMb:F1} MB"))}).

            """);
        return text.ToString();
    }
}
