using System.Diagnostics;
using System.Globalization;
using System.Text;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Local;
using DockerNetPlugin.Store.Tests.Etcd;

namespace DockerNetPlugin.Benchmarks.Store;

/// <summary>
/// Store throughput and latency for the embedded store (temp dir, fsync per commit) and a real etcd on
/// loopback: sequential puts/s, puts/s from 8 writers (group commit), CAS increments/s of one counter
/// contended by 8 writers (with the conflict share), and put→watch-event latency (median, p95).
/// </summary>
internal sealed class StoreBenchmark : IBenchmark
{
    private const int Writers = 8;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "store";

    public string Title => "store: puts/s, contended CAS/s and watch latency (embedded vs etcd)";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<string>();
        var dir = Path.Combine(Path.GetTempPath(), $"dnpb-store-{Guid.NewGuid():N}"[..24]);
        try
        {
            await using (var file = await FileKvStore.OpenAsync(dir, cancellationToken))
                rows.Add(await MeasureAsync("embedded (file)", file, 2000, cancellationToken));
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }

        var etcd = new LoopbackEtcd();
        await etcd.StartNewAsync();
        try
        {
            await using var store = await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [etcd.ClientUrl] }, null, cancellationToken);
            rows.Add(await MeasureAsync("etcd 3.4 (loopback)", store, 1000, cancellationToken));
        }
        finally
        {
            await etcd.StopAndDeleteAsync();
        }

        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Each figure is one run on this machine ({Environment.ProcessorCount} cores); every write is durable before it returns.")
            .AppendLine()
            .AppendLine("| backend | puts/s, 1 writer | puts/s, 8 writers | CAS increments/s, 8 writers on 1 key | CAS conflicts | watch latency median | watch latency p95 |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
            md.AppendLine(row);
        return new BenchmarkSection(md.ToString());
    }

    private static async Task<string> MeasureAsync(string label, IKvStore store, int operations, CancellationToken ct)
    {
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
        var (median, p95) = await WatchLatencyAsync(store, 200, ct);

        return string.Create(Inv, $"| {label} | {sequential:0} | {parallel:0} | {casRate:0} | {conflictShare:P0} | {median:0.00} ms | {p95:0.00} ms |");
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

    private static async Task<(double MedianMs, double P95Ms)> WatchLatencyAsync(IKvStore store, int samples, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var start = await store.ListAsync("bench/watch/", ct);
        await using var watch = store.WatchPrefixAsync("bench/watch/", start.Revision, cts.Token).GetAsyncEnumerator(cts.Token);
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var moved = watch.MoveNextAsync().AsTask(); // the watch is listening before the write
            var clock = Stopwatch.StartNew();
            var version = await store.PutAsync("bench/watch/k", Value(i), null, ct);
            while (await moved.WaitAsync(TimeSpan.FromSeconds(30), ct))
            {
                if (watch.Current is KvPut put && put.Entry.Version >= version)
                    break;
                moved = watch.MoveNextAsync().AsTask();
            }
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        await cts.CancelAsync();
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
