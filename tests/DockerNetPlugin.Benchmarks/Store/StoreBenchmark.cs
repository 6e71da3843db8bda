using System.Diagnostics;
using System.Globalization;
using System.Text;
using DockerNetPlugin.Emulators.Consul;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Local;
using DockerNetPlugin.Store.Tests.Etcd;

namespace DockerNetPlugin.Benchmarks.Store;

/// <summary>
/// Store throughput and latency for the embedded store (temp dir, fsync per commit), a real etcd on loopback and the
/// Consul backend against the test suite's Consul EMULATOR (in this process; not a real Consul): sequential puts/s,
/// puts/s from 8 writers, CAS increments/s of one counter contended by 8 writers (with the conflict share), and
/// put→watch-event latency (median, p95) with the watch already waiting.
/// </summary>
internal sealed class StoreBenchmark : IBenchmark
{
    private const int Writers = 8;
    private const int WatchSamples = 200;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The Consul watch's rate limit in this benchmark (product default: a burst of 2, then one query per 2 s).</summary>
    private static readonly TimeSpan ConsulWatchRefill = TimeSpan.FromMilliseconds(50);

    public string Name => "store";

    public string Title => "store: puts/s, contended CAS/s and watch latency (embedded, etcd, Consul emulator)";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(string Row, double Load)>
        {
            await MeasureEmbeddedAsync(cancellationToken),
            await MeasureEtcdAsync(cancellationToken),
            await MeasureConsulEmulatorAsync(cancellationToken),
        };
        var busy = rows.Max(r => r.Load) > 2 * Environment.ProcessorCount;

        var md = new StringBuilder()
            .AppendLine(Inv, $"Each figure is one run on this machine ({Environment.ProcessorCount} cores, shared with other work: the 1-minute load average")
            .AppendLine("when each backend started is in the last column). Every write is durable before it returns (embedded: fsync per")
            .AppendLine(Inv, $"commit, group commit across writers; etcd: its WAL fsync), on {new DriveInfo(Path.GetTempPath()).DriveFormat} under {Path.GetTempPath()}. Values are 1-4 bytes; CAS increments read, then compare-and-set")
            .AppendLine("one counter (retrying on conflict); watch latency is put → event with the watch already waiting, 200 samples.")
            .AppendLine()
            .AppendLine("| backend | puts/s, 1 writer | puts/s, 8 writers | CAS increments/s, 8 writers on 1 key | CAS conflicts | watch latency median | watch latency p95 | load |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (row, _) in rows)
            md.AppendLine(row);
        if (busy)
        {
            md.AppendLine()
                .AppendLine("The machine was busy with other work (load average above twice the core count): throughput is lower and much")
                .AppendLine("noisier than on an idle machine (repeated runs can differ several-fold). Compare rows of this run, not absolute figures.");
        }
        md.AppendLine()
            .AppendLine("The **Consul emulator row is not Consul**: it is the in-test HTTP server (`tests/DockerNetPlugin.ConsulEmulator`)")
            .AppendLine("running in the benchmark's own process on loopback, with no Raft, no disk and no fsync. It measures our Consul client")
            .AppendLine("(HTTP/JSON, `/v1/txn` writes, blocking-query watch) and nothing about a real Consul cluster. Its watch rate limit is")
            .AppendLine(Inv, $"raised to one query per {ConsulWatchRefill.TotalMilliseconds:0} ms (product default: a burst of 2, then one per 2 s), and its samples are spaced")
            .AppendLine("by that much so each put meets a waiting blocking query.");
        return new BenchmarkSection(md.ToString());
    }

    private static async Task<(string Row, double Load)> MeasureEmbeddedAsync(CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"dnpb-store-{Guid.NewGuid():N}"[..24]);
        try
        {
            await using var file = await FileKvStore.OpenAsync(dir, ct);
            return await MeasureAsync("embedded (file)", file, 2000, TimeSpan.Zero, ct);
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(string Row, double Load)> MeasureEtcdAsync(CancellationToken ct)
    {
        var etcd = new LoopbackEtcd();
        await etcd.StartNewAsync();
        try
        {
            await using var store = await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [etcd.ClientUrl] }, null, ct);
            return await MeasureAsync("etcd 3.4 (real server, loopback)", store, 1000, TimeSpan.Zero, ct);
        }
        finally
        {
            await etcd.StopAndDeleteAsync();
        }
    }

    private static async Task<(string Row, double Load)> MeasureConsulEmulatorAsync(CancellationToken ct)
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        var options = new ConsulOptions { Address = emulator.Address, WatchRefillInterval = ConsulWatchRefill };
        await using var store = await ConsulKvStore.ConnectAsync(options, null, ct);
        return await MeasureAsync("Consul backend vs **emulator** (not a real Consul; in-process)", store, 1000, ConsulWatchRefill, ct);
    }

    private static async Task<(string Row, double Load)> MeasureAsync(string label, IKvStore store, int operations, TimeSpan watchSpacing, CancellationToken ct)
    {
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], Inv);
        Console.WriteLine(string.Create(Inv, $"  {label}: load average {load:0.00}"));

        // Warm-up: JIT, connections, files.
        for (var i = 0; i < 50; i++)
            await store.PutAsync($"bench/warm/k{i}", Value(i), null, ct);

        var sequential = await RateAsync(async () =>
        {
            for (var i = 0; i < operations; i++)
                await store.PutAsync($"bench/seq/k{i % 100}", Value(i), null, ct);
        }, operations);

        var parallel = await RateAsync(() => Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < operations / Writers; i++)
                await store.PutAsync($"bench/par/w{w}/k{i % 100}", Value(i), null, ct);
        }, ct))), operations / Writers * Writers);

        var (casRate, conflictShare) = await ContendedCasAsync(store, operations / 2, ct);
        var (median, p95) = await WatchLatencyAsync(store, watchSpacing, ct);

        return (string.Create(Inv, $"| {label} | {sequential:0} | {parallel:0} | {casRate:0} | {conflictShare:P0} | {median:0.00} ms | {p95:0.00} ms | {load:0.00} |"), load);
    }

    private static async Task<(double Rate, double ConflictShare)> ContendedCasAsync(IKvStore store, int increments, CancellationToken ct)
    {
        const string key = "bench/cas/counter";
        await store.PutAsync(key, Value(0), null, ct);
        var conflicts = 0;
        var perWriter = increments / Writers;
        var rate = await RateAsync(() => Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var current = await store.GetAsync(key, ct);
                while (true)
                {
                    var next = int.Parse(Encoding.UTF8.GetString(current!.Value.Span), Inv) + 1;
                    await Task.Yield(); // callers do work between read and write; without a gap in-process writers never interleave
                    var result = await store.CompareAndSetAsync(key, Value(next), current.Version, null, ct);
                    if (result.Succeeded)
                        break;
                    Interlocked.Increment(ref conflicts);
                    current = result.Current;
                }
            }
        }, ct))), perWriter * Writers);
        var final = int.Parse(Encoding.UTF8.GetString((await store.GetAsync(key, ct))!.Value.Span), Inv);
        if (final != perWriter * Writers)
            throw new InvalidOperationException($"contended CAS lost updates: counter is {final}, expected {perWriter * Writers}");
        return (rate, (double)conflicts / (conflicts + perWriter * Writers));
    }

    private static async Task<(double MedianMs, double P95Ms)> WatchLatencyAsync(IKvStore store, TimeSpan spacing, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var start = await store.ListAsync("bench/watch/", ct);
        var watch = store.WatchPrefixAsync("bench/watch/", start.Revision, cts.Token).GetAsyncEnumerator(cts.Token);
        var latencies = new List<double>(WatchSamples);
        var moved = watch.MoveNextAsync().AsTask(); // the watch is listening before the first write
        try
        {
            // Sample -1 is a warm-up (it also absorbs the initial resync of backends that start with one).
            for (var i = -1; i < WatchSamples; i++)
            {
                if (spacing > TimeSpan.Zero)
                    await Task.Delay(spacing, ct);
                var clock = Stopwatch.StartNew();
                var version = await store.PutAsync("bench/watch/k", Value(i), null, ct);
                while (await moved.WaitAsync(TimeSpan.FromSeconds(30), ct))
                {
                    var current = watch.Current;
                    moved = watch.MoveNextAsync().AsTask();
                    if (current is KvPut put && put.Entry.Version >= version
                        || current is KvResync resync && resync.Snapshot.Entries.Any(e => e.Version >= version))
                        break;
                }
                if (i >= 0)
                    latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            await cts.CancelAsync();
            try
            {
                await moved;
            }
            catch (OperationCanceledException)
            {
            }
            await watch.DisposeAsync();
        }
        latencies.Sort();
        return (Stats.Median(latencies), latencies[(int)(latencies.Count * 0.95)]);
    }

    private static async Task<double> RateAsync(Func<Task> work, int operations)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return operations / clock.Elapsed.TotalSeconds;
    }

    private static byte[] Value(int i) => Encoding.UTF8.GetBytes(i.ToString(Inv));
}
