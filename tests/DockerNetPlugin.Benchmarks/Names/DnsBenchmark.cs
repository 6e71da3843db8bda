using System.Globalization;
using System.Text;
using DockerNetPlugin.Benchmarks.Beds;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Names;

/// <summary>
/// Names across hosts (issue 14). (1) dnsperf from one container's network namespace against our resolver (169.254.53.53,
/// in the overlay namespace) and against Docker's embedded resolver (127.0.0.11) for the same local container name, in the
/// same run, alternating: queries/s at full load, and p50/p99 latency at a fixed rate. (2) A new container's name visible
/// on another host: from <c>docker run -d</c> returning on h1 to the first answer of our resolver to a poller already
/// running in a container on h2, 30 trials. Goals: ours ≥ Docker's queries/s with a p99 no worse; visibility p99 &lt; 100 ms.
/// </summary>
internal sealed class DnsBenchmark : IBenchmark
{
    private const string Resolver = "169.254.53.53";
    private const string Embedded = "127.0.0.11";
    private const int Rounds = 3;
    private const int LoadSeconds = 8;
    private const int LatencySeconds = 5;
    private const int LatencyRate = 2000;
    private const int Trials = 30;
    private const int WarmUpTrials = 2;
    private const double TargetVisibleP99 = 100;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "dns";

    public string Title => "names: our resolver vs Docker's embedded resolver (dnsperf), and a name visible on another host after `docker run -d`";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        // The hosts' resolver (a dnsmasq in the internet namespace) answers NXDOMAIN at once for a name not known yet, as a
        // site's resolver would: a poll that comes before the name is forwarded there and comes back in a millisecond.
        await using var bed = await BenchBed.StartAsync(hosts: 2, etcd: true, new Dictionary<string, string> { ["bench.dnp.test"] = "203.0.113.1" }, cancellationToken);
        var (a, b) = (bed.Hosts[0], bed.Hosts[1]);
        foreach (var host in bed.Hosts)
        {
            await BenchBed.StartPluginAsync(host, BenchBed.DefaultDriver, null, cancellationToken);
            await host.CreateDnpNetworkAsync(BenchBed.DefaultDriver, "dnsb", "10.46.0.0/24", 7006, cancellationToken);
        }

        await a.RunSleeperAsync("target", "dnsb", null, cancellationToken);
        await a.RunSleeperAsync("perf", "dnsb", null, cancellationToken);
        await b.RunSleeperAsync("watch", "dnsb", null, cancellationToken);
        var perf = await a.ContainerPidAsync("perf", cancellationToken);
        var watch = await b.ContainerPidAsync("watch", cancellationToken);
        var target = await a.DockerCheckedAsync(cancellationToken, "inspect", "-f", "{{(index .NetworkSettings.Networks \"dnsb\").IPAddress}}", "target");
        foreach (var server in new[] { Resolver, Embedded })
        {
            await WaitForAnswerAsync(a, perf, server, "target", target, cancellationToken);
        }

        var queries = Path.Combine(Path.GetTempPath(), $"dnp-dnsperf-{Environment.ProcessId}.txt");
        await File.WriteAllTextAsync(queries, "target A\n", cancellationToken);
        var load = new Dictionary<string, List<double>> { [Resolver] = [], [Embedded] = [] };
        var latency = new Dictionary<string, List<double>> { [Resolver] = [], [Embedded] = [] };
        try
        {
            Console.WriteLine($"  dnsperf: {Rounds} rounds per resolver, alternating");
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var server in round % 2 == 0 ? new[] { Resolver, Embedded } : [Embedded, Resolver])
                {
                    load[server].Add(await QueriesPerSecondAsync(a, perf, server, queries, cancellationToken));
                    latency[server].AddRange(await LatenciesAsync(a, perf, server, queries, cancellationToken));
                }
            }
        }
        finally
        {
            File.Delete(queries);
        }

        Console.WriteLine($"  visibility: {Trials} trials");
        var visible = new List<double?>();
        var started = new List<string>();
        for (var i = -WarmUpTrials; i < Trials; i++)
        {
            var name = "vis" + (i + WarmUpTrials).ToString(Inv);
            started.Add(name);
            var ms = await VisibilityTrialAsync(a, b, watch, name, cancellationToken);
            if (i >= 0)
            {
                visible.Add(ms);
            }
        }

        await a.DockerCheckedAsync(cancellationToken, ["rm", "-f", .. started]);
        return new BenchmarkSection(Render(a.EngineVersion, load, latency, visible));
    }

    private static async Task WaitForAnswerAsync(SimHost host, int pid, string server, string name, string expected, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var dig = await host.ExecAsync(HostDocker.InContainerNetns(pid, "dig", "+short", "+time=1", "+tries=1", "@" + server, name), ct, TimeSpan.FromSeconds(10));
            if (dig.StdOut.Trim() == expected)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{server} does not answer {name} = {expected} from the perf container: {dig}");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>Full load: 4 clients, 64 outstanding queries; dnsperf's "Queries per second".</summary>
    private static async Task<double> QueriesPerSecondAsync(SimHost host, int pid, string server, string queries, CancellationToken ct)
    {
        var run = (await host.ExecAsync(HostDocker.InContainerNetns(pid, "dnsperf", "-s", server, "-d", queries, "-l", LoadSeconds.ToString(Inv), "-c", "4", "-q", "64"), ct, TimeSpan.FromSeconds(LoadSeconds + 30))).EnsureSuccess().StdOut;
        var line = run.Split('\n').FirstOrDefault(l => l.Contains("Queries per second:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("dnsperf printed no queries per second:\n" + run);
        var lost = run.Split('\n').FirstOrDefault(l => l.Contains("Queries lost:", StringComparison.Ordinal))?.Trim();
        Console.WriteLine($"    {server}: {line.Trim()} ({lost})");
        return double.Parse(line.Split(':')[1].Trim(), Inv);
    }

    /// <summary>A fixed rate (far below either's capacity), every query's latency from dnsperf -v, in milliseconds.</summary>
    private static async Task<List<double>> LatenciesAsync(SimHost host, int pid, string server, string queries, CancellationToken ct)
    {
        var run = (await host.ExecAsync(HostDocker.InContainerNetns(pid, "dnsperf", "-s", server, "-d", queries, "-l", LatencySeconds.ToString(Inv), "-Q", LatencyRate.ToString(Inv), "-v"), ct, TimeSpan.FromSeconds(LatencySeconds + 30))).EnsureSuccess().StdOut;
        var values = new List<double>();
        foreach (var line in run.Split('\n'))
        {
            // "> NOERROR target A 0.000123"; "> T target A" is a timeout (counted as lost by the load run)
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0] == ">" && double.TryParse(fields[^1], NumberStyles.Float, Inv, out var seconds))
            {
                values.Add(seconds * 1000);
            }
        }

        return values.Count > 0 ? values : throw new InvalidOperationException($"dnsperf -v against {server} reported no latencies:\n{run[..Math.Min(run.Length, 2000)]}");
    }

    /// <summary>
    /// A poller in h2's container (dig against our resolver, in a loop) is armed before the run and released the moment
    /// <c>docker run -d</c> returns on h1; it prints the time of the first answer. Null when none came in 5 s.
    /// </summary>
    private static async Task<double?> VisibilityTrialAsync(SimHost a, SimHost b, int watchPid, string name, CancellationToken ct)
    {
        var loop = $"end=$(( $(date +%s) + 5 )); while [ $(date +%s) -le $end ]; do " +
                   $"if [ -n \"$(dig +short +time=1 +tries=1 @{Resolver} {name})\" ]; then date +%s.%N; exit 0; fi; done; exit 1";
        using var poller = await ArmedCommand.StartAsync(["nsenter", "-t", watchPid.ToString(Inv), "-n", "--"], ["bash", "-c", loop], ct);
        await a.DockerCheckedAsync(ct, "run", "-d", "--name", name, "--network", "dnsb", BenchBed.Image, "sleep", "3600");
        var returned = DateTimeOffset.UtcNow;
        poller.Go();
        var output = await poller.OutputAsync(TimeSpan.FromSeconds(10), ct);
        var last = output?.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (last is null || !decimal.TryParse(last.Trim(), NumberStyles.Float, Inv, out var seconds))
        {
            return null;
        }

        var answered = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)).AddTicks((long)(seconds * 10_000_000 % 10_000));
        return Math.Max(0, (answered - returned).TotalMilliseconds);
    }

    private static string Render(string engine, Dictionary<string, List<double>> load, Dictionary<string, List<double>> latency, List<double?> visible)
    {
        var text = new StringBuilder();
        text.Append(Inv, $"""
            Two simulated hosts (each its own dockerd {engine} and network namespace) and a real etcd; the plugin in manual mode with
            names on (the default, resolver on {Resolver}). On h1, containers `target` and `perf` on one dnp network; dnsperf (the
            host's, entered into `perf`'s network namespace with nsenter) asks `target A` — a local container name, which both
            resolvers answer themselves — of our resolver (reached through the container's dnp interface, answered in the overlay
            namespace) and of Docker's embedded resolver 127.0.0.11, alternating, {Rounds} rounds each. Load: {LoadSeconds} s, 4 clients,
            64 queries outstanding; queries/s is dnsperf's. Latency: {LatencySeconds} s at {LatencyRate} queries/s with `-v`, every
            answer's latency; p99 over all rounds. Milliseconds.

            | resolver | queries/s (median of {Rounds}) | min–max | p50 latency | p99 latency | answers timed |
            |---|---:|---:|---:|---:|---:|

            """);
        foreach (var (label, server) in new[] { ("dnp (169.254.53.53)", Resolver), ("Docker embedded (127.0.0.11)", Embedded) })
        {
            var qps = load[server];
            var lat = latency[server];
            text.Append(Inv, $"| {label} | {Stats.Median(qps):F0} | {qps.Min():F0}–{qps.Max():F0} | {Stats.Median(lat):F3} | {Stats.Percentile(lat, 99):F3} | {lat.Count} |\n");
        }

        var oursQps = Stats.Median(load[Resolver]);
        var dockerQps = Stats.Median(load[Embedded]);
        var oursP99 = Stats.Percentile(latency[Resolver], 99);
        var dockerP99 = Stats.Percentile(latency[Embedded], 99);
        text.Append(Inv, $"\nGoal: ours at least Docker's queries/s with a p99 no worse: {Verdict.Of(oursQps >= dockerQps && oursP99 <= dockerP99)} (queries/s {oursQps / dockerQps:F2}× Docker's, p99 {oursP99:F3} vs {dockerP99:F3} ms).\n\n");

        var ok = visible.Where(v => v is not null).Select(v => v!.Value).ToList();
        text.Append(Inv, $"""
            Name visible on another host: a poller in a container on h2 (`dig +short @{Resolver} NAME` in a loop, the host's dig in the
            container's network namespace, a few ms per try; until the name is known our resolver forwards the question to the
            hosts' resolver, a dnsmasq in the test bed's internet namespace that answers NXDOMAIN at once) is armed before each trial and released when `docker run -d --name NAME`
            returns on h1; visibility = the poller's clock at the first answer − the CLI's return (0 when the name already answered).
            {Trials} trials after {WarmUpTrials} warm-ups; p99 of {Trials} is their maximum. Milliseconds.

            | p50 | p99 (max) | mean | no answer in 5 s |
            |---:|---:|---:|---:|
            | {(ok.Count > 0 ? Stats.Median(ok).ToString("F1", Inv) : "–")} | {(ok.Count > 0 ? Stats.Percentile(ok, 99).ToString("F1", Inv) : "–")} | {(ok.Count > 0 ? ok.Average().ToString("F1", Inv) : "–")} | {visible.Count - ok.Count} |

            """);
        var p99 = ok.Count == visible.Count && ok.Count > 0 ? Stats.Percentile(ok, 99) : double.PositiveInfinity;
        text.Append(Inv, $"\nGoal: p99 < {TargetVisibleP99:F0} ms: {Verdict.Of(p99 < TargetVisibleP99)}.");
        return text.ToString();
    }
}
