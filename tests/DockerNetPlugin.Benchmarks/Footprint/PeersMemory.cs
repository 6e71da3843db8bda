using System.Diagnostics;
using DockerNetPlugin.Benchmarks.Beds;
using DockerNetPlugin.Benchmarks.Scale;

namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>
/// The plugin's memory for one executable, in a fresh one-host bed (real dockerd, real etcd), as the scale benchmark
/// measures it: RSS idle (started, no network, a few seconds after ready), then with one local container and
/// <see cref="Peers"/> remote endpoints injected into etcd and programmed into the overlay namespace.
/// </summary>
internal static class PeersMemory
{
    public const int Peers = 1_000;
    private const string Network = "footprint";
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);

    public static async Task<(ProcessMemory Idle, ProcessMemory WithPeers)> MeasureAsync(string executable, CancellationToken ct)
    {
        await using var bed = await BenchBed.StartAsync(hosts: 1, etcd: true, ct);
        var host = bed.Hosts[0];
        var plugin = await BenchBed.StartPluginAsync(host, BenchBed.DefaultDriver, null, ct, executable);
        await Task.Delay(s_idle, ct);
        var idle = plugin.Memory();

        await host.CreateDnpNetworkAsync(plugin.Driver, Network, InjectedEndpoints.Subnet, 7008, ct);
        await host.RunSleeperAsync("footprint-a", Network, null, ct);
        var underlayPrefix = string.Join('.', host.UnderlayIp.GetAddressBytes()[..3]) + ".";
        using var counter = new PeerCounter(plugin.OverlayNamespacePath(Network));
        using var injector = await EndpointInjector.StartAsync(bed.Etcd, Network, 0, Peers, underlayPrefix, ct);
        var clock = Stopwatch.StartNew();
        injector.Go();
        await counter.WaitProgrammedAsync(Peers, clock, s_limit, ct);
        await injector.WrittenAsync(ct);
        await Task.Delay(s_settle, ct);
        return (idle, plugin.Memory());
    }
}
