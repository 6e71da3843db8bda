using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>
/// What shipping costs: the size of the managed plugin's rootfs (<c>make plugin</c>), and how long the plugin takes
/// from process start until its socket accepts connections — the trimmed self-contained executable of the rootfs and,
/// for context, the framework-dependent <c>bin/dnp</c> — and how long <c>docker plugin enable</c> takes in a real
/// dockerd (it returns once dockerd has activated the plugin over its socket).
/// </summary>
internal sealed class FootprintBenchmark : IBenchmark
{
    private const int Repetitions = 7;
    private const int EnableRepetitions = 5;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "plugin-footprint";

    public string Title => "plugin-footprint: managed plugin rootfs size and start-to-socket time";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        var bundle = Path.Combine(root, "plugin");
        var trimmed = Path.Combine(bundle, "rootfs", "usr", "bin", "dnp");
        var framework = Path.Combine(root, "bin", "dnp");
        if (!File.Exists(trimmed) || !File.Exists(framework))
            throw new InvalidOperationException("run `make build plugin` first (bench needs bin/dnp and plugin/rootfs)");

        var size = RootfsSize.Measure(Path.Combine(bundle, "rootfs"));
        var trimmedStart = await StartToSocket.MeasureAsync(trimmed, Repetitions, cancellationToken);
        var frameworkStart = await StartToSocket.MeasureAsync(framework, Repetitions, cancellationToken);
        var (enable, dockerVersion) = await MeasureEnableAsync(bundle, cancellationToken);

        var md = new StringBuilder()
            .AppendLine("`make plugin` output, `plugin/rootfs`: a trimmed, self-contained single-file `dnp` plus the shared libraries it loads (ldd, the loader, OpenSSL for TLS to the store).")
            .AppendLine()
            .AppendLine("| rootfs | files | size |")
            .AppendLine("|---|---:|---:|")
            .AppendLine(Inv, $"| `usr/bin/dnp` (trimmed, self-contained, ReadyToRun unless `READY_TO_RUN=false`) | 1 | {Mb(size.Executable)} |")
            .AppendLine(Inv, $"| shared libraries + loader | {size.LibraryCount} | {Mb(size.Libraries)} |")
            .AppendLine(Inv, $"| **total** | {size.Files} | **{Mb(size.Total)}** |")
            .AppendLine()
            .AppendLine(Inv, $"Start to socket: `dnp serve` started {Repetitions} times from `/` with an empty embedded store (temp dirs, advertise 127.0.0.1); time from process start until the socket accepts a connection, and until the log says the driver and IPAM are ready. Medians, min–max in brackets, milliseconds.")
            .AppendLine()
            .AppendLine("| executable | to socket | to ready |")
            .AppendLine("|---|---:|---:|")
            .AppendLine(Inv, $"| plugin rootfs `dnp` (trimmed, self-contained) | {trimmedStart.Socket} | {trimmedStart.Ready} |")
            .AppendLine(Inv, $"| `bin/dnp` (framework-dependent, for context) | {frameworkStart.Socket} | {frameworkStart.Ready} |")
            .AppendLine()
            .AppendLine(Inv, $"As a managed plugin in a simulated host's dockerd ({dockerVersion}): `docker plugin enable dnp` (after a `disable`), {EnableRepetitions} times: median **{enable.Median:0} ms** ({enable.Min:0}–{enable.Max:0}); it returns once dockerd has started the plugin's container and activated it over its socket. The time includes the docker client's own start.");
        return new BenchmarkSection(md.ToString());
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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockerNetPlugin.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository above " + AppContext.BaseDirectory);
    }
}
