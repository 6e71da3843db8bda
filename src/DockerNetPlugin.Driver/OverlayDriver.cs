using System.Collections.Concurrent;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Liveness;
using DockerNetPlugin.Driver.Guard;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Replication;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver;

/// <summary>
/// The overlay network driver: Docker's overlay design (a namespace per network with br0 + vxlan0, a veth per
/// endpoint, static neighbour/FDB entries) with cluster state in the store. This type is the registry of this host's
/// networks (each an <see cref="OverlayNetwork"/> that owns its lock, endpoints and namespace) plus the cluster-wide
/// verbs: <c>.Networks</c> (create/delete, VNI, membership), <c>.Endpoints</c> (routing to the network),
/// <c>.Reconcile</c>, <c>.Inspect</c>, <c>.Hosts</c>.
/// </summary>
public sealed partial class OverlayDriver : IAsyncDisposable
{
    private readonly DriverOptions _options;
    private readonly RecordStore _cluster;
    private readonly RecordStore _local;
    private readonly VniAllocator _vnis;
    private readonly IDataPlane _dataPlane;
    private readonly VethReaper _reaper;
    private readonly Underlay _underlay;
    private readonly LeaseKeeper _lease;
    private readonly WriteLayout _layout;
    private readonly EndpointPublisher _publisher;
    private readonly RecordRestorer _restorer;
    private readonly PeerTable _peers = new();
    private readonly PeerSync _peerSync;
    private readonly HostLiveness _liveness;
    private ProbeResponder? _echo;
    private readonly HostWatch _hosts;
    private readonly PeerAdmission _admission;
    private readonly VxlanGuard? _guard;
    private readonly NetworkServices _services;
    private readonly Names.INetworkResolvers? _resolvers;
    private readonly ILogger _logger;

    // Docker network id → network. Removed under the network's own lock (see LockNetworkAsync); added under _registryGate.
    private readonly ConcurrentDictionary<string, OverlayNetwork> _networks = new(StringComparer.Ordinal);

    // Serialises CreateNetwork's check-then-register (one Docker network per logical network on a host). Taken before a
    // network lock, never inside one.
    private readonly SemaphoreSlim _registryGate = new(1, 1);

    private OverlayDriver(DriverOptions options, IKvStore cluster, IKvStore local, IDataPlane dataPlane, Underlay underlay, IHostProber prober, Names.INetworkResolvers? resolvers, ILogger logger,
        LoopSupervisor loops, IVxlanGuardKernel? guardKernel)
    {
        _options = options;
        _cluster = new RecordStore(cluster);
        _local = new RecordStore(local);
        _dataPlane = dataPlane;
        _underlay = underlay;
        _logger = logger;
        InvalidRecords = new InvalidRecordLog(logger);
        Loops = loops;
        _vnis = new VniAllocator(cluster, InvalidRecords);
        _layout = new WriteLayout(options.KeyLayout, options.HostId);
        _lease = new LeaseKeeper(cluster, _local, options.LeaseTtl, options.StopGrace, logger, loops, _layout);
        _publisher = new EndpointPublisher(_lease, _local, options.StoreCallTimeout, logger);
        _restorer = new RecordRestorer(_lease, logger);
        _liveness = new HostLiveness(cluster, _peers, prober, options.Liveness, TimeProvider.System, ApplyPeerChange, logger);
        _hosts = new HostWatch(cluster, new HostDirectory(InvalidRecords), _restorer, logger);
        _admission = new PeerAdmission(InvalidRecords, _hosts.Directory, NetworkFactsOf, _liveness.LapsedLocators);
        _peerSync = new PeerSync(cluster, _peers, _liveness, options.HostId, _admission, ApplyPeerChange, _restorer, logger);
        _hosts.Subscribe(_peerSync.RecheckHostsAsync);
        _hosts.Subscribe(HostsChangedAsync);
        if (guardKernel is not null)
        {
            _guard = new VxlanGuard(guardKernel, _hosts.Directory, options.VxlanPort, logger, KeptVteps);
            _hosts.Subscribe(_guard.HostsChangedAsync);
        }
        _resolvers = resolvers;
        _reaper = new VethReaper(dataPlane, loops, logger);
        _services = new NetworkServices(options, _local, _lease, _publisher, _peers, dataPlane, _reaper, underlay, logger, resolvers);
        ClusterNetworks = new NetworkRecords(_cluster, InvalidRecords);
    }

    /// <summary>The store records this host met that are invalid (skipped, never programmed): <c>dnp status</c> counts them, <c>dnp doctor</c> lists them.</summary>
    public InvalidRecordLog InvalidRecords { get; }

    /// <summary>Every background loop of this plugin (the driver's and the host's) runs under this supervisor; <c>dnp status</c> shows their health.</summary>
    public LoopSupervisor Loops { get; }

    public string HostId => _options.HostId;
    public Underlay Underlay => _underlay;

    /// <summary>The logical network records in the cluster store (replication reads and commits them).</summary>
    public NetworkRecords ClusterNetworks { get; }

    /// <summary>Networks this host removed lately (replication must not bring them back meanwhile).</summary>
    public DeletedNetworks Deleted { get; } = new();

    /// <summary>Replication state per logical network, written by the replicator, shown by <c>dnp status</c>.</summary>
    public ReplicationBoard Replication { get; } = new();

    /// <summary>
    /// Start the driver: resolve the underlay, take this host's lease, restore local networks and endpoints
    /// (re-opening their namespaces and re-announcing joined endpoints), and start the peer watch.
    /// </summary>
    public static async Task<OverlayDriver> StartAsync(DriverOptions options, IKvStore cluster, IKvStore local, ILoggerFactory loggers, CancellationToken ct, Names.INetworkResolvers? resolvers = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<OverlayDriver>();
        var loops = new LoopSupervisor(loggers.CreateLogger<LoopSupervisor>());
        var dataPlane = NetlinkDataPlane.OpenHost(logger, loops, options.StateDirectory is { } state ? new OwnershipMarkers(state, options.HostId) : null);
        IVxlanGuardKernel? guard = null;
        try
        {
            guard = OpenGuard(options, logger);
            var prober = new UdpHostProber(options.ProbePort, options.Liveness.Interval / 2);
            var driver = await StartAsync(options, cluster, local, dataPlane, prober, loggers, ct, resolvers, loops, guard).ConfigureAwait(false);
            try
            {
                driver._echo = ProbeResponder.Start(driver._underlay.Locator, options.ProbePort, options.HostId, loggers.CreateLogger<OverlayDriver>());
            }
            catch
            {
                await driver.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return driver;
        }
        catch
        {
            guard?.Dispose();
            dataPlane.Dispose();
            throw;
        }
    }

    /// <summary>Start on a given kernel (tests pass an in-memory one); the driver owns <paramref name="dataPlane"/> from here.</summary>
    /// <summary>
    /// The guard's kernel half (nf_tables in the host namespace), or null with DNP_VXLAN_GUARD=off (then a guard table
    /// an earlier run left is removed). A kernel without nf_tables gives a guard whose every call fails: dnp runs, and
    /// its status and log say the port is not guarded.
    /// </summary>
    private static IVxlanGuardKernel? OpenGuard(DriverOptions options, ILogger logger)
    {
        IVxlanGuardKernel kernel;
        try
        {
            kernel = NetlinkVxlanGuardKernel.OpenHost(options.HostId);
        }
        catch (Netlink.NetlinkException e)
        {
            kernel = new UnavailableGuardKernel(e.Message);
        }
        if (options.VxlanGuard)
            return kernel;
        using (kernel)
        {
            try
            {
                VxlanGuard.RemoveLeftover(kernel, logger);
            }
            catch (Exception e) when (e is Netlink.NetlinkException or Netlink.Nftables.NftTableNotOursException)
            {
                GuardLog.Failed(logger, options.VxlanPort, e.Message);
            }
        }
        return null;
    }

    internal static async Task<OverlayDriver> StartAsync(DriverOptions options, IKvStore cluster, IKvStore local, IDataPlane dataPlane, IHostProber prober, ILoggerFactory loggers, CancellationToken ct,
        Names.INetworkResolvers? resolvers = null, LoopSupervisor? loops = null, IVxlanGuardKernel? guard = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(dataPlane);
        var logger = loggers.CreateLogger<OverlayDriver>();
        var underlay = dataPlane.ResolveUnderlay(options.Advertise);
        var driver = new OverlayDriver(options with { Locator = underlay.Locator }, cluster, local, dataPlane, underlay, prober, resolvers, logger, loops ?? new LoopSupervisor(logger), guard);
        driver.StartHostResolver();
        driver._reaper.Start();
        await driver._lease.StartAsync(ct).ConfigureAwait(false);
        await driver._lease.PutAsync(ClusterKeys.Host(options.HostId),
            RecordStore.Encode(new HostRecord(options.HostId, underlay.Locator.ToString(), DateTimeOffset.UtcNow, typeof(OverlayDriver).Assembly.GetName().Version?.ToString() ?? "0",
                WriteLayout.ByHostAnnouncement), DriverJsonContext.Default.HostRecord), ct).ConfigureAwait(false);
        await driver._hosts.LoadAsync(ct).ConfigureAwait(false); // endpoint records meet a known set of hosts from the start
        driver._layout.Update(driver._hosts.Directory.Layouts());
        LayoutLog.Writing(logger, options.KeyLayout, driver.Where(), "at start");
        var (networks, endpoints) = await driver.RestoreAsync(ct).ConfigureAwait(false);
        await driver.MoveRecordsAsync(ct).ConfigureAwait(false); // memberships (and records a previous release wrote) where the layout says
        await driver._publisher.StartAsync(driver.IsJoined, ct).ConfigureAwait(false);
        await driver._lease.ReleasePreviousAsync(ct).ConfigureAwait(false);
        await cluster.DeleteAsync(ClusterKeys.ForgottenHost(options.HostId), ct).ConfigureAwait(false); // forgotten once, back now
        driver.SyncGuard(); // restored networks: guarded before the watches run; none: a leftover guard goes
        driver.Loops.Start("record-restorer", driver._restorer.RunAsync);
        driver.Loops.Start("membership-watch", ct => driver._restorer.WatchAsync(ClusterKeys.MembershipsPrefix, ct));
        driver.Loops.Start("key-layout", driver.MoveLoopAsync);
        driver.Loops.Start("host-watch", driver._hosts.RunAsync);
        driver.Loops.Start("peer-watch", driver._peerSync.RunAsync);
        driver._liveness.Start();
        DriverLog.Started(logger, options.HostId, underlay.Locator.ToString(), underlay.InterfaceName, underlay.OverlayMtu, networks, endpoints);
        return driver;
    }

    /// <summary>Waits until the first full peer state was loaded from the store (tests and status use it).</summary>
    public Task PeersSyncedAsync => _peerSync.FirstSync;

    public DriverStatus GetStatus()
    {
        var networks = _networks.Values.Select(n =>
        {
            var remote = _peers.Of(n.LogicalId).Count(r => r.HostId != _options.HostId);
            return new NetworkStatus(n.DockerNetworkId, n.LogicalId, n.Network.Vni, n.Network.SandboxName,
                n.SandboxOpen, n.Network.Subnets.Select(s => s.Pool).ToList(), n.Endpoints.Count, remote, n.Network.Multicast);
        }).OrderBy(n => n.LogicalId, StringComparer.Ordinal).ToList();
        return new DriverStatus(_options.HostId, _underlay.Locator.ToString(), _underlay.InterfaceName, _underlay.OverlayMtu, networks, Replication.Snapshot(),
            InvalidRecords.Snapshot(), Loops.Health(), _guard?.Status() ?? VxlanGuardStatus.Off(_options.VxlanPort),
            new KeyLayoutStatus(_layout.Mode, _layout.WritesByHost, _layout.WritesLegacy, LayoutSettling), PendingVethDeletions);
    }

    /// <summary>This host's Docker networks, the logical network each one is, and how many endpoints each has.</summary>
    public IReadOnlyList<LocalNetworkRef> LocalNetworks() =>
        _networks.Values.Select(n => new LocalNetworkRef(n.DockerNetworkId, n.LogicalId, n.Endpoints.Count)).ToList();

    /// <summary>Docker replays nothing to a restarted plugin: rebuild the networks from the local state dir.</summary>
    private async Task<(int Networks, int Endpoints)> RestoreAsync(CancellationToken ct)
    {
        var networks = await _local.ListAsync(ClusterKeys.LocalNetworksPrefix, DriverJsonContext.Default.LocalNetwork, ct).ConfigureAwait(false);
        foreach (var network in networks)
        {
            _networks[network.Value.DockerNetworkId] = new OverlayNetwork(network.Value, _services);
            var (key, membership) = MembershipRecord(network.Value.LogicalId, network.Value.DockerNetworkId);
            _restorer.Hold(key, membership);
        }

        var endpoints = await _local.ListAsync(ClusterKeys.LocalEndpointsPrefix, DriverJsonContext.Default.LocalEndpoint, ct).ConfigureAwait(false);
        foreach (var endpoint in endpoints)
        {
            if (_networks.TryGetValue(endpoint.Value.DockerNetworkId, out var network))
                network.Restore(endpoint.Value);
            else
                await _local.DeleteAsync(ClusterKeys.LocalEndpoint(endpoint.Value.DockerNetworkId, endpoint.Value.EndpointId), ct).ConfigureAwait(false);
        }

        foreach (var id in _networks.Keys.ToList())
        {
            if (await LockNetworkAsync(id, ct).ConfigureAwait(false) is not { } locked)
                continue;
            using (locked.Release)
            {
                try
                {
                    await locked.Network.ReopenAsync(ct).ConfigureAwait(false);
                }
                catch (DriverException e)
                {
                    DriverLog.RestoreFailed(_logger, id, e.Message);
                }
            }
        }
        return (networks.Count, endpoints.Count);
    }

    /// <summary>The guard exists while this host has any dnp network (see <see cref="VxlanGuard"/>).</summary>
    private void SyncGuard(bool rebuild = false) => _guard?.Sync(() => !_networks.IsEmpty, rebuild);

    /// <summary>What an endpoint record of <paramref name="logicalId"/> is checked against: this host's copy of the network, if it has one.</summary>
    private NetworkFacts? NetworkFactsOf(string logicalId) =>
        _networks.Values.FirstOrDefault(n => n.LogicalId == logicalId) is { } network ? NetworkFacts.From(network.Network) : null;

    /// <summary>Whether an endpoint of logical network <paramref name="logicalId"/> is joined on this host (its record is wanted).</summary>
    private bool IsJoined(string logicalId, string endpointId) =>
        _networks.Values.Any(n => n.LogicalId == logicalId && n.Endpoints.Any(e => e.EndpointId == endpointId && e.Joined));

    /// <summary>Endpoint records this host still has to write to the store (deferred by an outage).</summary>
    public int PendingRecordWrites => _publisher.Pending;

    /// <summary>A watch change, programmed into every open namespace it concerns (each under its own kernel gate).</summary>
    private void ApplyPeerChange(PeerChange change)
    {
        foreach (var network in _networks.Values)
            network.ApplyPeerChange(change);
        NotifyEndpointWatchers(change);
        if (change.Removed.Count > 0 || change.IsResync)
            _guard?.PeersChanged(); // a lapsed host kept, or dropped at last
    }

    /// <summary>
    /// VTEPs of every host whose entries this host programs: admitted records carry their host's registered locator, and
    /// the table keeps a host's records while its lease lapsed but it answers (store-unreachable), so its VXLAN stays let
    /// in, also in the moment between its host record going and its endpoint records being judged.
    /// </summary>
    private IEnumerable<System.Net.IPAddress> KeptVteps() =>
        _peers.All().Where(r => r.HostId != _options.HostId).Select(r => r.Locator).Distinct(StringComparer.Ordinal)
            .Select(l => System.Net.IPAddress.TryParse(l, out var a) ? a : null).OfType<System.Net.IPAddress>().ToList();

    /// <summary>Take a network's lock, re-checking that it is still the registered one (moby lockNetwork).</summary>
    private async Task<(OverlayNetwork Network, IDisposable Release)?> LockNetworkAsync(string dockerNetworkId, CancellationToken ct)
    {
        while (true)
        {
            if (!_networks.TryGetValue(dockerNetworkId, out var network))
                return null;
            var release = await network.LockAsync(ct).ConfigureAwait(false);
            if (_networks.TryGetValue(dockerNetworkId, out var current) && ReferenceEquals(current, network))
                return (network, release);
            release.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_echo is not null)
            await _echo.DisposeAsync().ConfigureAwait(false);
        await _liveness.DisposeAsync().ConfigureAwait(false);
        _hostResolver?.Dispose();
        await _reaper.DisposeAsync().ConfigureAwait(false); // finishes the veth deletions Leave and DeleteEndpoint handed it (bounded)
        await Loops.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _lease.DisposeAsync().ConfigureAwait(false);
        foreach (var network in _networks.Values)
            await network.DisposeAsync().ConfigureAwait(false); // kernel state stays: flows keep running across restarts
        _guard?.Dispose(); // the table stays: the VXLAN devices stay up across restarts, so must the guard
        _dataPlane.Dispose();
        _registryGate.Dispose();
    }
}

/// <summary>A Docker network of this host, the logical network it maps to, and how many local endpoints it has.</summary>
public sealed record LocalNetworkRef(string DockerNetworkId, string LogicalId, int Endpoints);
