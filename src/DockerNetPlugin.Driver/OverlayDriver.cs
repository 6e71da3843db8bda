using System.Collections.Concurrent;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver;

/// <summary>
/// The overlay network driver: Docker's overlay design (a namespace per network with br0 + vxlan0, a veth per
/// endpoint, static neighbour/FDB entries) with cluster state in the store. Split by protocol phase:
/// <c>.Networks</c>, <c>.Endpoints</c>, <c>.JoinLeave</c>, <c>.Peers</c>, <c>.Restore</c>.
/// </summary>
public sealed partial class OverlayDriver : IAsyncDisposable
{
    private readonly DriverOptions _options;
    private readonly RecordStore _cluster;
    private readonly RecordStore _local;
    private readonly VniAllocator _vnis;
    private readonly RtnlHandle _host;
    private readonly Underlay _underlay;
    private readonly LeaseKeeper _lease;
    private readonly PeerTable _peers = new();
    private readonly PeerSync _peerSync;
    private readonly ILogger _logger;

    // Docker network id → runtime. Entries are added and removed under the network's own Lock (see LockNetworkAsync).
    private readonly ConcurrentDictionary<string, NetworkRuntime> _networks = new(StringComparer.Ordinal);

    private OverlayDriver(DriverOptions options, IKvStore cluster, IKvStore local, RtnlHandle host, Underlay underlay, ILogger logger)
    {
        _options = options;
        _cluster = new RecordStore(cluster);
        _local = new RecordStore(local);
        _vnis = new VniAllocator(cluster);
        _host = host;
        _underlay = underlay;
        _logger = logger;
        _lease = new LeaseKeeper(cluster, options.LeaseTtl, logger);
        _peerSync = new PeerSync(cluster, _peers, ApplyPeerChangeAsync, logger);
    }

    public string HostId => _options.HostId;
    public Underlay Underlay => _underlay;

    /// <summary>
    /// Start the driver: resolve the underlay, take this host's lease, restore local networks and endpoints
    /// (re-opening their namespaces and re-announcing joined endpoints), and start the peer watch.
    /// </summary>
    public static async Task<OverlayDriver> StartAsync(DriverOptions options, IKvStore cluster, IKvStore local, ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<OverlayDriver>();
        var host = RtnlHandle.OpenHost();
        try
        {
            var underlay = Underlay.Resolve(host, options.Advertise);
            var driver = new OverlayDriver(options with { Locator = underlay.Locator }, cluster, local, host, underlay, logger);
            await driver._lease.StartAsync(ct).ConfigureAwait(false);
            await driver._lease.PutAsync(ClusterKeys.Host(options.HostId),
                RecordStore.Encode(new HostRecord(options.HostId, underlay.Locator.ToString(), DateTimeOffset.UtcNow, typeof(OverlayDriver).Assembly.GetName().Version?.ToString() ?? "0"), DriverJsonContext.Default.HostRecord), ct).ConfigureAwait(false);
            var (networks, endpoints) = await driver.RestoreAsync(ct).ConfigureAwait(false);
            driver._peerSync.Start();
            DriverLog.Started(logger, options.HostId, underlay.Locator.ToString(), underlay.InterfaceName, underlay.OverlayMtu, networks, endpoints);
            return driver;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the first full peer state was loaded from the store (tests and status use it).</summary>
    public Task PeersSyncedAsync => _peerSync.FirstSync;

    public DriverStatus GetStatus()
    {
        var networks = _networks.Values.Select(n =>
        {
            var remote = _peers.Of(n.Network.LogicalId).Count(r => r.HostId != _options.HostId);
            return new NetworkStatus(n.Network.DockerNetworkId, n.Network.LogicalId, n.Network.Vni, n.Network.SandboxName,
                n.Sandbox is not null, n.Network.Subnets.Select(s => s.Pool).ToList(), n.Endpoints.Count, remote);
        }).OrderBy(n => n.LogicalId, StringComparer.Ordinal).ToList();
        return new DriverStatus(_options.HostId, _underlay.Locator.ToString(), _underlay.InterfaceName, _underlay.OverlayMtu, networks, Replication.Snapshot());
    }

    /// <summary>Take a network's lock, re-checking that the runtime is still the registered one (moby lockNetwork).</summary>
    private async Task<(NetworkRuntime Runtime, IDisposable Release)?> LockNetworkAsync(string dockerNetworkId, CancellationToken ct)
    {
        while (true)
        {
            if (!_networks.TryGetValue(dockerNetworkId, out var runtime))
                return null;
            await runtime.Lock.WaitAsync(ct).ConfigureAwait(false);
            if (_networks.TryGetValue(dockerNetworkId, out var current) && ReferenceEquals(current, runtime))
                return (runtime, new Releaser(runtime.Lock));
            runtime.Lock.Release();
        }
    }

    private string SandboxPath(LocalNetwork network) => System.IO.Path.Combine(_options.NetnsDirectory, network.SandboxName);

    public async ValueTask DisposeAsync()
    {
        await _peerSync.DisposeAsync().ConfigureAwait(false);
        await _lease.DisposeAsync().ConfigureAwait(false);
        foreach (var runtime in _networks.Values)
        {
            if (runtime.Misses is { } misses)
                await misses.DisposeAsync().ConfigureAwait(false);
            lock (runtime.KernelGate)
                runtime.Sandbox?.Dispose(); // leave kernel state in place: flows keep running across restarts
        }
        _host.Dispose();
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                semaphore.Release();
        }
    }
}
