using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Driver;

/// <summary>
/// What names across hosts need from the driver: the resolver's route in Join, a verb to set an endpoint's names
/// (learned from Docker outside any plugin call), the joined endpoints to learn them for, and the endpoint records of
/// every host as the watch sees them (the resolvers answer from those).
/// </summary>
public sealed partial class OverlayDriver
{
    // Guards _endpointWatchers and the delivery to them, so a new watcher's first snapshot and later changes never interleave.
    private readonly object _watchersGate = new();
    private readonly List<Action<EndpointRecordsChange>> _endpointWatchers = [];
    private IDisposable? _hostResolver;

    /// <summary>
    /// Raised after a Join succeeded (network, endpoint), inside the plugin call: a handler must only queue work, never
    /// call Docker (Docker holds its locks until the call returns).
    /// </summary>
    public event Action<string, string>? EndpointJoined;

    /// <summary>The address containers reach the resolver on, or null when names are off.</summary>
    public IPAddress? ResolverAddress => _resolvers?.Address;

    /// <summary>
    /// Calls <paramref name="watcher"/> at once with every endpoint record known (a resync), then with each change the
    /// store watch delivers, until the returned handle is disposed. Calls are sequential; a watcher must be quick.
    /// </summary>
    public IDisposable WatchEndpointRecords(Action<EndpointRecordsChange> watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        lock (_watchersGate)
        {
            _endpointWatchers.Add(watcher);
            watcher(new EndpointRecordsChange(_peers.All(), [], IsResync: true));
        }
        return new Unwatch(this, watcher);
    }

    /// <summary>This host's joined endpoints and the names they carry (null until learned).</summary>
    public IReadOnlyList<JoinedEndpoint> JoinedEndpoints() =>
        _networks.Values.SelectMany(n => n.Endpoints.Where(e => e.Joined)
            .Select(e => new JoinedEndpoint(n.DockerNetworkId, n.LogicalId, e.EndpointId, e.IPv4, e.IPv6, e.Names))).ToList();

    /// <summary>
    /// Set the names of a joined endpoint and publish them with its record (under this host's lease). False when the
    /// endpoint is not (or no longer) joined here, or nothing changed and <paramref name="republish"/> is off.
    /// </summary>
    public async Task<bool> SetEndpointNamesAsync(string dockerNetworkId, string endpointId, EndpointNames names, bool republish, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (await LockNetworkAsync(dockerNetworkId, ct).ConfigureAwait(false) is not { } locked)
            return false;
        (bool Changed, Task Published) set;
        using (locked.Release)
            set = await locked.Network.SetNamesAsync(endpointId, names, republish, ct).ConfigureAwait(false);
        await AwaitStoreAsync(set.Published, ct).ConfigureAwait(false);
        return set.Changed;
    }

    /// <summary>The record of this host's endpoint the cluster store holds now (not the watch cache; either key layout), or null.</summary>
    public async Task<EndpointRecord?> ReadEndpointRecordAsync(string logicalId, string endpointId, CancellationToken ct) =>
        await LayoutMerge.GetAsync(_cluster.Store, ClusterKeys.Endpoint(logicalId, endpointId), _options.HostId, ct).ConfigureAwait(false) is { } entry
            ? RecordStore.Decode(entry, DriverJsonContext.Default.EndpointRecord)
            : null;

    /// <summary>Whether another joined endpoint in the container namespace <paramref name="sandboxKey"/> already routes the resolver.</summary>
    private bool ResolverRoutedElsewhere(string? sandboxKey, string endpointId) =>
        sandboxKey is not null && _networks.Values.Any(n => n.Endpoints.Any(e =>
            e.Joined && e.ResolverRoute && e.EndpointId != endpointId && string.Equals(e.SandboxKey, sandboxKey, StringComparison.Ordinal)));

    /// <summary>The resolver in the host namespace, for containers on no dnp network (whose daemon sends them here too).</summary>
    private void StartHostResolver()
    {
        if (_resolvers is null)
            return;
        try
        {
            _hostResolver = _resolvers.Serve(new Names.ResolverScope(null, Internal: false), _dataPlane.OpenHostResolver(_resolvers.Address));
            DriverLog.ResolverStarted(_logger, "(host)", _resolvers.Address.ToString());
        }
        catch (DriverException e)
        {
            DriverLog.ResolverFailed(_logger, "(host)", e.Message);
        }
    }

    private void NotifyEndpointWatchers(PeerChange change)
    {
        lock (_watchersGate)
        {
            if (_endpointWatchers.Count == 0)
                return;
            var forWatchers = new EndpointRecordsChange(change.IsResync ? _peers.All() : change.Upserted, change.Removed, change.IsResync);
            foreach (var watcher in _endpointWatchers)
                watcher(forWatchers);
        }
    }

    private sealed class Unwatch(OverlayDriver driver, Action<EndpointRecordsChange> watcher) : IDisposable
    {
        public void Dispose()
        {
            lock (driver._watchersGate)
                driver._endpointWatchers.Remove(watcher);
        }
    }
}

/// <summary>
/// Endpoint records that appeared or changed and records that went; a resync carries every record known
/// (<paramref name="Upserted"/> is then the whole set).
/// </summary>
public sealed record EndpointRecordsChange(IReadOnlyList<EndpointRecord> Upserted, IReadOnlyList<EndpointRecord> Removed, bool IsResync);

/// <summary>A joined endpoint of this host: its Docker network, logical network, addresses and names (null until learned).</summary>
public sealed record JoinedEndpoint(string DockerNetworkId, string LogicalId, string EndpointId, string? IPv4, string? IPv6, EndpointNames? Names);
