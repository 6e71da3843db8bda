using System.Net;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// A real single-member etcd (Debian etcd-server) in its own namespace on the fabric, reachable from every
/// simulated host at <see cref="ClientUrl"/>. <see cref="StopAsync"/>/<see cref="StartAsync"/> simulate an outage;
/// the data directory survives them.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    /// <summary>The client port.</summary>
    public const int ClientPort = 2379;

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private readonly NamespaceService _service;
    private readonly string _dataDir;

    internal EtcdServer(string netns, IPAddress address, string dataDir, string logPath)
    {
        Netns = netns;
        Address = address;
        _dataDir = dataDir;
        _service = new NamespaceService("etcd", netns, logPath);
    }

    /// <summary>The etcd namespace's name.</summary>
    public string Netns { get; }

    /// <summary>The underlay address etcd listens on.</summary>
    public IPAddress Address { get; }

    /// <summary><c>http://&lt;Address&gt;:2379</c>, reachable from the simulated hosts (not from the test process's namespace).</summary>
    public string ClientUrl => $"http://{Address}:{ClientPort}";

    /// <summary><c>etcd://&lt;Address&gt;:2379</c>, the DNP_STORE value.</summary>
    public string StoreUri => $"etcd://{Address}:{ClientPort}";

    /// <summary>The etcd log file.</summary>
    public string LogPath => _service.LogPath;

    /// <summary>True while the etcd process runs.</summary>
    public bool IsRunning => _service.IsRunning;

    /// <summary>Starts etcd (keeping its data) and waits until <c>/health</c> answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_dataDir);
        _service.Start(
        [
            "etcd", "--name", "dnpt", "--data-dir", _dataDir,
            "--listen-client-urls", $"{ClientUrl},http://127.0.0.1:{ClientPort}",
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", "http://127.0.0.1:2380",
            "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
            "--initial-cluster", "dnpt=http://127.0.0.1:2380",
            "--log-level", "warn", "--logger", "zap",
        ]);
        await Poll.UntilAsync(
            async () =>
            {
                if (!_service.IsRunning)
                {
                    throw new TestbedException($"etcd exited during start.\n{LogTail.Read(LogPath)}");
                }

                var health = await _service.ExecAsync([BusyboxImage.BusyboxPath, "wget", "-qO-", $"http://127.0.0.1:{ClientPort}/health"], cancellationToken, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                return health.Succeeded && health.StdOut.Contains("true", StringComparison.Ordinal);
            },
            s_readyTimeout,
            () => $"etcd did not report healthy within {s_readyTimeout.TotalSeconds} s.\n{LogTail.Read(LogPath)}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops etcd: SIGTERM, or SIGKILL when <paramref name="kill9"/>.</summary>
    public Task StopAsync(bool kill9 = false) => _service.StopAsync(kill9);

    /// <summary>Runs <c>etcdctl --endpoints http://127.0.0.1:2379 ARGS</c> (API v3) in etcd's namespace, e.g. <c>get --prefix dnp/</c>.</summary>
    public Task<CommandResult> EtcdctlAsync(params string[] args) =>
        _service.ExecAsync(["env", "ETCDCTL_API=3", "etcdctl", "--endpoints", $"http://127.0.0.1:{ClientPort}", .. args], CancellationToken.None);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _service.DisposeAsync();
}
