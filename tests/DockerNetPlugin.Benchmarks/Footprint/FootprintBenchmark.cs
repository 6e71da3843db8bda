using System.Diagnostics;
using System.Globalization;
using System.Text;
using DockerNetPlugin.Benchmarks.Beds;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>
/// What shipping costs, for the NativeAOT build that ships (<c>make plugin</c>) against the trimmed ReadyToRun single file
/// shipped before (<c>make publish-r2r</c>), both built and measured in the same run: the managed plugin's rootfs size,
/// process start until the socket accepts connections (and until driver and IPAM are ready), RSS idle and with 1,000
/// remote peers, and <c>docker plugin enable</c> in a real dockerd. Targets (issue 16): rootfs ≤ 25 MB, start ≤ 60 ms,
/// idle RSS ≤ 40 MB for the build that ships.
/// </summary>
internal sealed class FootprintBenchmark : IBenchmark
{
    private const int Repetitions = 7;
    private const int EnableRepetitions = 5;
    private const double RootfsTargetMb = 25;
    private const double StartTargetMs = 60;
    private const double IdleTargetMb = 40;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "plugin-footprint";

    public string Title => "plugin-footprint: the native plugin against the ReadyToRun build — rootfs, start to socket, memory";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var bundle = Path.Combine(root, "plugin");
        var native = new Contender("NativeAOT (ships: `make plugin`, `make install`)", Path.Combine(bundle, "rootfs", "usr", "bin", "dnp"), bundle);
        if (!File.Exists(native.Executable))
            throw new InvalidOperationException("run `make plugin` first (make bench does it)");
        using var r2rBuild = await ReadyToRunBuild.MakeAsync(root, cancellationToken);
        Contender[] contenders = [native, r2rBuild.Contender];

        var sizes = contenders.Select(c => RootfsSize.Measure(c.Rootfs)).ToList();
        Console.WriteLine("  start to socket");
        var starts = await StartToSocket.MeasureAsync(contenders.Select(c => c.Executable).ToList(), Repetitions, cancellationToken);
        var memory = new List<(ProcessMemory Idle, ProcessMemory WithPeers)>();
        foreach (var c in contenders)
        {
            Console.WriteLine($"  memory: {c.Label}");
            memory.Add(await PeersMemory.MeasureAsync(c.Executable, cancellationToken));
        }

        var enables = new List<Timing>();
        var dockerVersion = "";
        foreach (var c in contenders)
        {
            Console.WriteLine($"  docker plugin enable: {c.Label}");
            (var timing, dockerVersion) = await MeasureEnableAsync(c.Bundle, cancellationToken);
            enables.Add(timing);
        }

        return new BenchmarkSection(Render(contenders, sizes, starts, memory, enables, dockerVersion));
    }

    private static string Render(Contender[] contenders, List<RootfsSize> sizes, IReadOnlyList<(Timing Socket, Timing Ready)> starts,
        List<(ProcessMemory Idle, ProcessMemory WithPeers)> memory, List<Timing> enables, string dockerVersion)
    {
        var md = new StringBuilder()
            .AppendLine("Both builds are made from the same sources in this run; each plugin rootfs holds the executable plus the shared libraries it loads (ldd, the loader, OpenSSL for TLS to the store) — `plugin/make-rootfs.sh`.")
            .AppendLine()
            .AppendLine("| build | `usr/bin/dnp` | libraries + loader | rootfs total | start → socket | start → ready | idle RSS | RSS, 1 container + 1,000 remote peers | `docker plugin enable` |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < contenders.Length; i++)
        {
            md.Append(Inv, $"| {contenders[i].Label} | {Mb(sizes[i].Executable)} | {Mb(sizes[i].Libraries)} ({sizes[i].LibraryCount} files) | **{Mb(sizes[i].Total)}** | ")
              .Append(Inv, $"{starts[i].Socket} ms | {starts[i].Ready} ms | {memory[i].Idle.Describe()} | {memory[i].WithPeers.Describe()} | {enables[i]} ms |\n");
        }

        var (native, r2r) = (0, 1);
        var nativeRootfs = sizes[native].Total / 1024.0 / 1024.0;
        var nativeStart = starts[native].Socket.Median;
        var nativeIdle = memory[native].Idle.RssMb;
        md.AppendLine()
            .AppendLine(Inv, $"Start: `dnp serve` started {Repetitions} times per build, in turns, from `/` with an empty embedded store (temp dirs, advertise 127.0.0.1), after one warm-up round; medians, min–max in brackets. Memory: a fresh one-host bed per build (real dockerd, real etcd), RSS from `/proc/PID/status` 5 s after ready (idle), then after one local container and {PeersMemory.Peers:N0} remote endpoints injected into etcd were programmed and 3 s passed (anon = heap and native allocations, shmem = .NET's double-mapped JIT code, file = mapped binaries). `docker plugin enable` (after a `disable`) in a simulated host's dockerd ({dockerVersion}), {EnableRepetitions} times: it returns once dockerd has started the plugin and activated it over its socket, and includes the docker client's own start.")
            .AppendLine()
            .AppendLine(Inv, $"Native against ReadyToRun: rootfs {Ratio(sizes[native].Total, sizes[r2r].Total)}, start to socket {Ratio(nativeStart, starts[r2r].Socket.Median)}, idle RSS {Ratio(nativeIdle, memory[r2r].Idle.RssMb)}, RSS with {PeersMemory.Peers:N0} peers {Ratio(memory[native].WithPeers.RssMb, memory[r2r].WithPeers.RssMb)}.")
            .AppendLine()
            .AppendLine(Inv, $"Targets for the build that ships: rootfs ≤ {RootfsTargetMb:0} MB {Verdict.Of(nativeRootfs <= RootfsTargetMb)} ({nativeRootfs:0.0} MB); start to socket ≤ {StartTargetMs:0} ms {Verdict.Of(nativeStart <= StartTargetMs)} ({nativeStart:0} ms); idle RSS ≤ {IdleTargetMb:0} MB {Verdict.Of(nativeIdle <= IdleTargetMb)} ({nativeIdle:0.0} MB).");
        return md.ToString();
    }

    private static async Task<(Timing Timing, string DockerVersion)> MeasureEnableAsync(string bundle, CancellationToken ct)
    {
        await using var bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartInternet = false, ImportImage = false }, ct);
        var host = bed.Hosts[0];
        Task<CommandResult> Docker(params string[] args) => host.DockerAsync(args, ct, TimeSpan.FromSeconds(120));
        (await Docker("plugin", "create", "dnp", bundle)).EnsureSuccess();
        (await Docker("plugin", "set", "dnp", "docker-socket.source=" + host.DockerSocket)).EnsureSuccess();
        var version = (await Docker("version", "-f", "Docker {{.Server.Version}}")).EnsureSuccess().StdOut.Trim();
        var times = new List<double>();
        for (var i = 0; i <= EnableRepetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            (await Docker("plugin", "enable", "dnp")).EnsureSuccess();
            if (i > 0)
                times.Add(watch.Elapsed.TotalMilliseconds); // the first round warms dockerd's caches
            (await Docker("plugin", "disable", "dnp")).EnsureSuccess();
        }
        (await Docker("plugin", "rm", "dnp")).EnsureSuccess();
        return (Timing.Of(times), version);
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", Inv) + " MB";

    private static string Ratio(double native, double r2r) => (native / r2r).ToString("0.00", Inv) + "×";
}
