using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>
/// A driver on the in-memory kernel with real embedded stores in a temp folder (cluster and local state dir), as a
/// host would run it with <c>DNP_STORE=file://</c>. Restart keeps the folder, as a plugin restart keeps its state dir.
/// </summary>
internal sealed class DriverBed : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dnp-driver-tests-").FullName;
    private FileKvStore? _clusterFile;
    private FileKvStore? _localFile;

    public const string HostId = "host-a";

    public FakeDataPlane Kernel { get; private set; } = new();
    public FakeProber Prober { get; } = new();
    public FileKvStore Local => _localFile!;
    public FakeGuardKernel Guard { get; } = new();
    public OverlayDriver Driver { get; private set; } = null!;
    public IKvStore Cluster { get; private set; } = null!;
    public BlockingKvStore ClusterGate { get; private set; } = null!;

    /// <summary>The local state dir as the driver sees it (writes can be made to fail).</summary>
    public BlockingKvStore LocalGate { get; private set; } = null!;
    public string NetnsDirectory => Path.Combine(_root, "netns");
    public string ClusterDirectory => Path.Combine(_root, "cluster");

    /// <summary>How long Join, Leave and DeleteEndpoint wait on the store before leaving a write to the background.</summary>
    public TimeSpan StoreCallTimeout { get; private init; } = TimeSpan.FromSeconds(5);

    /// <summary>The resolver service the driver is started with (names tests), or null.</summary>
    public DockerNetPlugin.Driver.Names.INetworkResolvers? Resolvers { get; private init; }

    /// <summary>DNP_NETNS_GRACE of the driver: zero unless a test is about the grace period (namespaces go at once).</summary>
    public TimeSpan Grace { get; set; }

    /// <summary>DNP_KEY_LAYOUT of the bed's host.</summary>
    public KeyLayoutMode KeyLayout { get; set; }

    public static async Task<DriverBed> StartAsync(bool replicate = true, DockerNetPlugin.Driver.Names.INetworkResolvers? resolvers = null, TimeSpan grace = default,
        TimeSpan? storeCallTimeout = null, KeyLayoutMode keyLayout = KeyLayoutMode.Auto)
    {
        var bed = new DriverBed { Resolvers = resolvers, Grace = grace, StoreCallTimeout = storeCallTimeout ?? TimeSpan.FromSeconds(5), KeyLayout = keyLayout };
        await bed.StartDriverAsync(replicate);
        return bed;
    }

    private async Task StartDriverAsync(bool replicate)
    {
        _clusterFile = await FileKvStore.OpenAsync(Path.Combine(_root, "cluster"), CancellationToken.None);
        _localFile = await FileKvStore.OpenAsync(Path.Combine(_root, "local"), CancellationToken.None);
        ClusterGate = new BlockingKvStore(_clusterFile);
        LocalGate = new BlockingKvStore(_localFile);
        Cluster = _clusterFile;
        var options = new DriverOptions
        {
            HostId = HostId, NetnsDirectory = NetnsDirectory, Replicate = replicate, LeaseTtl = TimeSpan.FromSeconds(30), NetnsGrace = Grace,
            Liveness = new Liveness.LivenessOptions(TimeSpan.FromHours(1), 3), // rounds run when a test calls CheckLivenessAsync
            StoreCallTimeout = StoreCallTimeout,
            KeyLayout = KeyLayout,
        };
        Driver = await OverlayDriver.StartAsync(options, ClusterGate, LocalGate, Kernel, Prober, NullLoggerFactory.Instance, CancellationToken.None, Resolvers, guard: Guard);
        await Driver.PeersSyncedAsync.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Stops the driver and the stores and starts again on the same folders; the kernel keeps its state.
    /// <paramref name="whileStopped"/> gets the local state dir's store folder while nothing runs.
    /// </summary>
    public async Task RestartAsync(Func<string, Task>? whileStopped = null)
    {
        await StopAsync();
        if (whileStopped is not null)
            await whileStopped(Path.Combine(_root, "local"));
        await StartDriverAsync(replicate: true);
    }

    private async Task StopAsync()
    {
        await Driver.DisposeAsync();
        await _clusterFile!.DisposeAsync();
        await _localFile!.DisposeAsync();
    }

    public async Task<string> CreateNetworkAsync(string id, string subnet = "10.20.0.0/24", string gateway = "10.20.0.1/24", string? logical = null,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var options = logical is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [DriverOptionNames.Network] = logical };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            options[key] = value;
        await Driver.CreateNetworkAsync(new NetworkCreation(id, options, false, false,
            [new SubnetSpec(IPNetwork.Parse(subnet), InterfaceAddress.Parse(gateway, "gateway"))]), CancellationToken.None);
        return id;
    }

    public Task<EndpointCreated> CreateEndpointAsync(string network, string endpoint, string address) =>
        Driver.CreateEndpointAsync(new EndpointCreation(network, endpoint, InterfaceAddress.Parse(address, "address"), null, null), CancellationToken.None);

    public async Task JoinNewAsync(string network, string endpoint, string address)
    {
        await CreateEndpointAsync(network, endpoint, address);
        await Driver.JoinAsync(network, endpoint, CancellationToken.None);
    }

    /// <summary>Network net1 with a joined local endpoint and one remote peer (10.20.0.101 behind 192.0.2.2) programmed.</summary>
    public async Task<(FakeNamespace Namespace, IPAddress Ip, PhysicalAddress Mac)> JoinedWithRemotePeerAsync()
    {
        await CreateNetworkAsync("net1");
        await JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var peer = Remote("net1", 1);
        await PublishRemoteAsync(peer);
        var ns = Sandbox("net1");
        var ip = IPAddress.Parse("10.20.0.101");
        var mac = PhysicalAddress.Parse(peer.Mac.Replace(':', '-'));
        await Eventually.TrueAsync(() => ns.HasPeer(ip, mac, RemoteVtep), "remote peer programmed");
        return (ns, ip, mac);
    }

    public static IPAddress RemoteVtep { get; } = IPAddress.Parse("192.0.2.2");

    /// <summary>
    /// Writes an endpoint record as another host would publish it: that host's <c>hosts/</c> record (its locator, which
    /// endpoint records are checked against, and its lease is current) first, unless <paramref name="withHost"/> is
    /// false (a dead host).
    /// </summary>
    public async Task PublishRemoteAsync(EndpointRecord record, ILease? lease = null, bool withHost = true)
    {
        if (withHost && record.HostId != HostId)
            await PublishRemoteHostAsync(record.HostId, record.Locator, lease);
        await Cluster.PutAsync(ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), RecordStore.Encode(record, DriverJsonContext.Default.EndpointRecord), lease, CancellationToken.None);
    }

    /// <summary>
    /// Writes another host's <c>hosts/</c> record (its lease is current), as a host of the previous release does: in the
    /// legacy layout, without announcing the by-host layout.
    /// </summary>
    public Task PublishRemoteHostAsync(string hostId, string locator, ILease? lease = null) =>
        Cluster.PutAsync(ClusterKeys.Host(hostId), RecordStore.Encode(new HostRecord(hostId, locator, DateTimeOffset.UtcNow, "test"), DriverJsonContext.Default.HostRecord), lease, CancellationToken.None);

    /// <summary>Writes another host's record as this release does: under <c>by-host/{host}/host</c>, announcing the by-host layout.</summary>
    public Task PublishByHostHostAsync(string hostId, string locator, ILease? lease = null) =>
        Cluster.PutAsync(ClusterKeys.ByHost(ClusterKeys.Host(hostId), hostId)!,
            RecordStore.Encode(new HostRecord(hostId, locator, DateTimeOffset.UtcNow, "test", WriteLayout.ByHostAnnouncement), DriverJsonContext.Default.HostRecord), lease, CancellationToken.None);

    /// <summary>Writes an endpoint record under <c>by-host/{owner}/endpoints/...</c> (the owner defaults to the record's host).</summary>
    public Task PublishByHostAsync(EndpointRecord record, string? owner = null, ILease? lease = null) =>
        Cluster.PutAsync(ClusterKeys.ByHost(ClusterKeys.Endpoint(record.NetworkId, record.EndpointId), owner ?? record.HostId)!,
            RecordStore.Encode(record, DriverJsonContext.Default.EndpointRecord), lease, CancellationToken.None);

    /// <summary>Writes another host's <c>hosts/</c> record without a lease.</summary>
    public Task RegisterHostAsync(string hostId, string locator) => PublishRemoteHostAsync(hostId, locator);

    /// <summary>Writes raw bytes under a key, as a broken or hostile writer would.</summary>
    public Task PutRawAsync(string key, string value) =>
        Cluster.PutAsync(key, System.Text.Encoding.UTF8.GetBytes(value), null, CancellationToken.None);

    /// <summary>Deletes an endpoint record in both key layouts (its host's by-host copy and the legacy one).</summary>
    public async Task DeleteRemoteAsync(EndpointRecord record)
    {
        var key = ClusterKeys.Endpoint(record.NetworkId, record.EndpointId);
        await Cluster.DeleteAsync(ClusterKeys.ByHost(key, record.HostId)!, CancellationToken.None);
        await Cluster.DeleteAsync(key, CancellationToken.None);
    }

    public static EndpointRecord Remote(string logical, int i, string host = "host-b", string prefix = "10.20.0.") =>
        new(logical, $"remote{i:D4}", host, $"{prefix}{100 + i}/24", null, $"02:42:0a:14:00:{100 + i:x2}", "192.0.2.2");

    /// <summary>Waits until the veth pairs Leave and DeleteEndpoint handed to the reaper are deleted (or their deletion failed).</summary>
    public Task VethDeletionsDoneAsync() => Eventually.TrueAsync(() => Driver.PendingVethDeletions == 0, "deferred veth deletions done");

    public FakeNamespace Sandbox(string logical) =>
        Kernel.Namespace(Path.Combine(NetnsDirectory, DeviceNames.Sandbox(logical))) ?? throw new InvalidOperationException($"no namespace for {logical}");

    public string SandboxPath(string logical) => Path.Combine(NetnsDirectory, DeviceNames.Sandbox(logical));

    public async Task<bool> RecordExistsAsync(string logical, string endpoint) =>
        await LayoutMerge.GetAsync(Cluster, ClusterKeys.Endpoint(logical, endpoint), HostId, CancellationToken.None) is not null;

    /// <summary>Where this bed's host keeps a record it owns (given by its logical, legacy-form key): its by-host copy.</summary>
    public static string OwnKey(string logicalKey) => ClusterKeys.ByHost(logicalKey, HostId)!;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_root, recursive: true);
    }
}
