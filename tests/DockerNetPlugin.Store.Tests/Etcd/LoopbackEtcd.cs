using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// A real etcd (Debian etcd-server 3.4) on loopback with free ports and a temp data dir, quiet logs and
/// fast elections. Restart keeps the data; wipe starts it empty. With <see cref="Tls"/> its client port speaks
/// only TLS and requires a client certificate signed by the given CA. Health is probed on a separate plain
/// metrics port. A missing etcd fails (never skips) with the command that installs it. With <see cref="Cluster"/> it is
/// one member of a <see cref="LoopbackEtcdCluster"/>. No xunit here: the benchmarks compile this file too.
/// </summary>
public class LoopbackEtcd
{
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), $"dnpt-etcd-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
    public int ClientPort { get; private set; }
    public int PeerPort { get; private set; }
    public int MetricsPort { get; private set; }

    /// <summary>When set: https on the client port with this server certificate, and client certificates required.</summary>
    public TlsFiles? Tls { get; init; }

    /// <summary>The member name (<c>dnpt</c> alone).</summary>
    public string Name { get; init; } = "dnpt";

    /// <summary>When set, this etcd is one member of a cluster: <c>--initial-cluster</c> (every member's name=peer URL) and its token.</summary>
    public (string InitialCluster, string Token)? Cluster { get; init; }

    /// <summary>This member's Raft URL.</summary>
    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    public Uri ClientUrl => new($"{(Tls is null ? "http" : "https")}://127.0.0.1:{ClientPort}");

    /// <summary>PEM files of etcd's TLS setup: <c>--cert-file</c>, <c>--key-file</c>, <c>--trusted-ca-file</c> (with <c>--client-cert-auth</c>).</summary>
    public sealed record TlsFiles(string CertFile, string KeyFile, string TrustedCaFile);

    /// <summary>Picks free ports and starts etcd on a new, empty data dir.</summary>
    public async Task StartNewAsync()
    {
        AllocatePorts();
        await StartAsync();
    }

    /// <summary>Takes the ports <paramref name="other"/> picked (a cluster member is built once every peer port is known).</summary>
    public LoopbackEtcd WithPortsOf(LoopbackEtcd other)
    {
        ClientPort = other.ClientPort;
        PeerPort = other.PeerPort;
        MetricsPort = other.MetricsPort;
        return this;
    }

    /// <summary>Picks free ports (a cluster needs every member's peer port before any member starts).</summary>
    public void AllocatePorts()
    {
        if (FindEtcd() is null)
            throw new InvalidOperationException("etcd is not installed: run `make deps-test` (installs the Debian etcd-server package); the etcd conformance tests need a real server");
        ClientPort = FreePort();
        PeerPort = FreePort();
        MetricsPort = FreePort();
    }

    /// <summary>Kills etcd and removes its data dir.</summary>
    public async Task StopAndDeleteAsync()
    {
        await StopAsync();
        if (Directory.Exists(DataDir))
            Directory.Delete(DataDir, recursive: true);
    }

    /// <summary>Stops etcd and starts it again on the same ports and data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Stops etcd, deletes its data, and starts a fresh, empty one on the same ports.</summary>
    public async Task WipeAsync()
    {
        await StopAsync();
        Directory.Delete(DataDir, recursive: true);
        await StartAsync();
    }

    /// <summary>A loopback port nothing listens on (for unreachable-server tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts etcd on the current ports and data dir and waits until it is healthy.</summary>
    public async Task StartAsync()
    {
        Launch();
        await WaitHealthyAsync();
    }

    /// <summary>Starts the process without waiting (a new cluster's members must start together to elect a leader).</summary>
    public void Launch()
    {
        var peer = PeerUrl;
        var client = ClientUrl.GetLeftPart(UriPartial.Authority);
        var metrics = new Uri($"http://127.0.0.1:{MetricsPort}");
        var info = new ProcessStartInfo(FindEtcd()!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] tls = Tls is null ? [] :
            ["--cert-file", Tls.CertFile, "--key-file", Tls.KeyFile, "--trusted-ca-file", Tls.TrustedCaFile, "--client-cert-auth"];
        foreach (var arg in new[]
        {
            "--name", Name, "--data-dir", DataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--listen-metrics-urls", metrics.GetLeftPart(UriPartial.Authority),
            "--initial-cluster", Cluster?.InitialCluster ?? $"{Name}={peer}", "--initial-cluster-state", "new",
            "--initial-cluster-token", Cluster?.Token ?? "etcd-cluster",
            "--heartbeat-interval", "50", "--election-timeout", "500",
            "--logger", "zap", "--log-outputs", "stderr", "--log-level", "error",
        }.Concat(tls))
        {
            info.ArgumentList.Add(arg);
        }
        _stderr.Clear();
        var process = Process.Start(info) ?? throw new InvalidOperationException("etcd did not start");
        process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
    }

    /// <summary>Waits until <c>/health</c> says true (for a member: the cluster has a leader); kills it and throws with its log otherwise.</summary>
    public async Task WaitHealthyAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"etcd {Name} is not running");
        var metrics = new Uri($"http://127.0.0.1:{MetricsPort}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                break;
            try
            {
                var health = await http.GetStringAsync(new Uri(metrics, "/health"));
                if (health.Contains("\"true\"", StringComparison.Ordinal))
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await StopAsync();
        string log;
        lock (_stderr)
            log = _stderr.ToString()[..Math.Min(_stderr.Length, 2000)];
        throw new InvalidOperationException($"etcd on {ClientUrl} did not become healthy; its log:\n{log}");
    }

    /// <summary>The current value of a Prometheus metric from etcd's plain metrics port (0 when absent), e.g. <c>etcd_debugging_mvcc_slow_watcher_total</c>.</summary>
    public async Task<double> MetricAsync(string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
                return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    /// <summary>Kills etcd with SIGKILL (its data stays).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
            return;
        _process = null;
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            process.Dispose();
        }
    }

    private static string? FindEtcd()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "etcd");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
