using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Scale;

/// <summary>
/// Writes injected endpoint records into the bed's etcd with the product's own etcd client, in transactions of
/// <see cref="KvLimits.MaxTransactionOps"/> from 4 writers. etcd listens only inside the bed's namespaces, so this runs as a
/// second copy of the benchmark program entered into etcd's network namespace (<see cref="Command"/>). It connects, prints
/// "ready", writes when it reads "go", and prints "written MS".
/// </summary>
internal sealed class EndpointInjector : IDisposable
{
    public const string Command = "--inject-endpoints";
    private const int Writers = 4;
    private readonly Process _process;

    private EndpointInjector(Process process) => _process = process;

    /// <summary>Starts the writer for records [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) and waits until it is connected.</summary>
    public static async Task<EndpointInjector> StartAsync(EtcdServer etcd, string network, int from, int count, string underlayPrefix, CancellationToken ct)
    {
        var start = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        var self = Environment.ProcessPath!;
        string[] program = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, typeof(EndpointInjector).Assembly.Location] : [self];
        foreach (var arg in (string[])["--net=/run/netns/" + etcd.Netns, "--", .. program, Command, $"http://127.0.0.1:{EtcdServer.ClientPort}", network,
            from.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), underlayPrefix])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the endpoint injector");
        var injector = new EndpointInjector(process);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        if (await process.StandardOutput.ReadLineAsync(limit.Token) != "ready")
        {
            injector.Dispose();
            throw new InvalidOperationException("the endpoint injector did not connect to etcd");
        }

        return injector;
    }

    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>How long the writes took, in milliseconds, once the injector has finished.</summary>
    public async Task<double> WrittenAsync(CancellationToken ct)
    {
        var line = await _process.StandardOutput.ReadLineAsync(ct);
        await _process.WaitForExitAsync(ct);
        return line is not null && line.StartsWith("written ", StringComparison.Ordinal)
            ? double.Parse(line["written ".Length..], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the endpoint injector failed (exit {_process.ExitCode}): {line}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    /// <summary>The injector's side: <c>URL NETWORK FROM COUNT UNDERLAY-PREFIX</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (url, network, from, count, prefix) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
        await using var store = await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [new Uri(url)] }, null, CancellationToken.None);
        var batches = Enumerable.Range(from, count)
            .Select(i => InjectedEndpoints.Record(network, i, prefix))
            .Select(r => (KvOp)new KvSetOp(InjectedEndpoints.Key(r), JsonSerializer.SerializeToUtf8Bytes(r, InjectedJsonContext.Default.EndpointRecord), null))
            .Chunk(KvLimits.MaxTransactionOps)
            .ToList();
        await store.CheckHealthAsync(CancellationToken.None);
        // The fake hosts register first, as real ones do before they publish endpoints (not part of the timed writes).
        foreach (var host in InjectedEndpoints.Hosts(from, count, prefix))
        {
            await store.PutAsync(InjectedEndpoints.HostKey(host.HostId), JsonSerializer.SerializeToUtf8Bytes(host, InjectedJsonContext.Default.HostRecord), null, CancellationToken.None);
        }

        Console.WriteLine("ready");
        if (Console.ReadLine() != "go")
        {
            return 2;
        }

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (batch, ct) =>
        {
            if (!await store.CommitAsync(batch, ct))
            {
                throw new InvalidOperationException("an unconditional transaction was refused");
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"written {clock.Elapsed.TotalMilliseconds:F1}"));
        return 0;
    }
}
