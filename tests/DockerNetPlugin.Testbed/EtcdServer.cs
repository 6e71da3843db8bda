using System.Net;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// A real etcd (Debian etcd-server) in its own namespace on the fabric, reachable from every simulated host at
/// <see cref="ClientUrl"/>: a single member, or one member of an <see cref="EtcdCluster"/>.
/// <see cref="StopAsync"/>/<see cref="StartAsync"/> simulate an outage; the data directory survives them.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    /// <summary>The client port.</summary>
    public const int ClientPort = 2379;

    /// <summary>The peer (Raft) port of a cluster member.</summary>
    public const int PeerPort = 2380;

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private readonly NamespaceService _service;
    private readonly string _dataDir;
    private readonly EtcdMembership? _membership;

    internal EtcdServer(string netns, IPAddress address, string dataDir, string logPath, EtcdMembership? membership = null)
    {
        Netns = netns;
        Address = address;
        _dataDir = dataDir;
        _membership = membership;
        _service = new NamespaceService(membership?.Name ?? "etcd", netns, logPath);
    }

    /// <summary>The member name (<c>dnpt</c> for a single etcd, <c>etcd1</c>.. in a cluster).</summary>
    public string Name => _membership?.Name ?? "dnpt";

    /// <summary><c>http://&lt;Address&gt;:2380</c>, where a cluster member's peers reach it.</summary>
    public string PeerUrl => $"http://{Address}:{PeerPort}";

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

    /// <summary>
    /// Starts etcd (keeping its data) and waits until <c>/health</c> answers (for a cluster member: until the cluster
    /// has a leader, so a member started while quorum is lost waits for another).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Launch();
        await WaitHealthyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the process without waiting for it (members of a new cluster must start together).</summary>
    internal void Launch()
    {
        Directory.CreateDirectory(_dataDir);
        // A single etcd keeps its Raft port on loopback; a member listens on its fabric address for its peers.
        var peer = _membership is null ? $"http://127.0.0.1:{PeerPort}" : PeerUrl;
        _service.Start(
        [
            "etcd", "--name", Name, "--data-dir", _dataDir,
            "--listen-client-urls", $"{ClientUrl},http://127.0.0.1:{ClientPort}",
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", _membership?.InitialCluster ?? $"{Name}={peer}",
            .. _membership is null ? Array.Empty<string>() : ["--initial-cluster-token", _membership.Token, "--initial-cluster-state", "new"],
            "--log-level", "warn", "--logger", "zap",
        ]);
    }

    /// <summary>Waits until the member's <c>/health</c> says true (exception with the log tail otherwise).</summary>
    internal async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
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

    /// <summary>Runs a command in etcd's namespace (e.g. a firewall rule that cuts a member off).</summary>
    public Task<CommandResult> ExecAsync(params string[] argv) => _service.ExecAsync(argv, CancellationToken.None, TimeSpan.FromSeconds(20));

    /// <summary>Runs a command in etcd's namespace with <paramref name="stdin"/> as its input (e.g. a batch of writes for a script).</summary>
    public Task<CommandResult> ExecAsync(IReadOnlyList<string> argv, string stdin, TimeSpan timeout) => _service.ExecAsync(argv, CancellationToken.None, timeout, stdin);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _service.DisposeAsync();
}

/// <summary>What makes an <see cref="EtcdServer"/> one member of a cluster: its name, every member's peer URL, the cluster token.</summary>
internal sealed record EtcdMembership(string Name, string InitialCluster, string Token);
