using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Liveness;

/// <summary>
/// The liveness rule: a lapsed lease is not death. When another host's lease lapses (its host record went in the same
/// expiry as its endpoint records), its records stay in the <see cref="PeerTable"/> and its kernel entries stay as
/// they are while it answers on the underlay (<see cref="IHostProber"/>). They are dropped when it misses
/// <see cref="LivenessOptions.MissesBeforeDrop"/> probes in a row, when it is forgotten (<c>dnp forget-host</c> leaves
/// a <c>forgotten-hosts/</c> mark), or record by record when a live record claims the same address or MAC. When its
/// host record is back, the records it did not publish again (say, a container removed meanwhile) are dropped.
/// Owns the set of lapsed hosts and its lock (bottom level; no call out while holding it).
/// </summary>
internal sealed class HostLiveness : IAsyncDisposable
{
    private readonly IKvStore _store;
    private readonly PeerTable _peers;
    private readonly IHostProber _prober;
    private readonly LivenessOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<PeerChange> _apply;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LapsedHost> _lapsed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public HostLiveness(IKvStore store, PeerTable peers, IHostProber prober, LivenessOptions options, TimeProvider time, Action<PeerChange> apply, ILogger logger)
    {
        _store = store;
        _peers = peers;
        _prober = prober;
        _options = options;
        _time = time;
        _apply = apply;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public bool IsLapsed(string hostId)
    {
        lock (_gate)
            return _lapsed.ContainsKey(hostId);
    }

    /// <summary>Every host this host knows lapsed (its entries kept here) → the locator it had.</summary>
    public IReadOnlyList<KeyValuePair<string, IPAddress>> LapsedLocators()
    {
        lock (_gate)
        {
            return _lapsed.Select(kv => IPAddress.TryParse(kv.Value.Locator, out var locator) ? new KeyValuePair<string, IPAddress>(kv.Key, locator) : default)
                .Where(kv => kv.Key is not null).ToList();
        }
    }

    /// <summary>The state of every host this host knows lapsed (the others are live or gone).</summary>
    public IReadOnlyDictionary<string, string> States()
    {
        lock (_gate)
            return _lapsed.ToDictionary(kv => kv.Key, kv => kv.Value.Answered ? HostStates.StoreUnreachable : HostStates.Unanswered, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether the owner of a record that left the store lost its lease (true: keep the record, the host is probed)
    /// or deleted the record itself (false: drop it now). The owner's host record goes in the same expiry as its
    /// endpoint records, so a linearizable read after the delete tells the two apart; when the store cannot be asked,
    /// the record is kept and the probe and the host's return decide.
    /// </summary>
    public async Task<bool> OwnerLapsedAsync(EndpointRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (IsLapsed(record.HostId))
            return true;
        bool lapsed;
        try
        {
            lapsed = await LayoutMerge.GetAsync(_store, ClusterKeys.Host(record.HostId), null, ct).ConfigureAwait(false) is null;
        }
        catch (StoreException e)
        {
            DriverLog.LivenessStoreFailed(_logger, record.HostId, e.Message);
            lapsed = true;
        }
        if (lapsed)
            MarkLapsed(record.HostId, record.Locator);
        return lapsed;
    }

    /// <summary>After a full read: which hosts of <paramref name="records"/> have no host record (one list of <c>hosts/</c>).</summary>
    public async Task<IReadOnlySet<string>> LapsedOwnersAsync(IEnumerable<EndpointRecord> records, CancellationToken ct)
    {
        var owners = records.GroupBy(r => r.HostId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Locator, StringComparer.Ordinal);
        if (owners.Count == 0)
            return new HashSet<string>();
        HashSet<string> live;
        try
        {
            var hosts = await LayoutMerge.ListAsync(_store, OwnedKind.Host, ct).ConfigureAwait(false);
            live = hosts.Select(e => OwnedKey.TryParse(e.Key)?.HostId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        catch (StoreException e)
        {
            DriverLog.LivenessStoreFailed(_logger, string.Join(",", owners.Keys), e.Message);
            live = [];
        }
        var lapsed = owners.Keys.Where(h => !live.Contains(h)).ToHashSet(StringComparer.Ordinal);
        foreach (var host in lapsed)
            MarkLapsed(host, owners[host]);
        return lapsed;
    }

    /// <summary>
    /// A record was written: records of lapsed hosts in the same network that claim its address or MAC lose at once.
    /// Returns them (already out of the peer table).
    /// </summary>
    public IReadOnlyList<EndpointRecord> Displaced(EndpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_lapsed.Count == 0)
                return [];
        }
        var losers = _peers.Of(record.NetworkId)
            .Where(r => r.EndpointId != record.EndpointId && r.HostId != record.HostId && IsLapsed(r.HostId) && Claims(record, r))
            .ToList();
        foreach (var loser in losers)
        {
            _peers.Remove(loser.NetworkId, loser.EndpointId);
            DriverLog.LapsedRecordDisplaced(_logger, loser.EndpointId, loser.HostId, record.EndpointId, record.HostId);
        }
        return losers;
    }

    /// <summary>One round: every lapsed host is checked (back? forgotten? answering?) and dropped when its time is up.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        List<(string HostId, LapsedHost State)> hosts;
        lock (_gate)
            hosts = _lapsed.Select(kv => (kv.Key, kv.Value)).ToList();
        foreach (var (hostId, state) in hosts)
        {
            try
            {
                if (await LayoutMerge.GetAsync(_store, ClusterKeys.Host(hostId), null, ct).ConfigureAwait(false) is not null)
                {
                    await ReturnedAsync(hostId, ct).ConfigureAwait(false);
                    continue;
                }
                if (await _store.GetAsync(ClusterKeys.ForgottenHost(hostId), ct).ConfigureAwait(false) is not null)
                {
                    Drop(hostId, "it was forgotten (dnp forget-host)");
                    continue;
                }
            }
            catch (StoreException e)
            {
                DriverLog.LivenessStoreFailed(_logger, hostId, e.Message); // this host is cut off too: the probe alone decides
            }
            var answered = IPAddress.TryParse(state.Locator, out var locator) && await _prober.ProbeAsync(hostId, locator, ct).ConfigureAwait(false);
            bool drop;
            lock (_gate)
            {
                if (!_lapsed.TryGetValue(hostId, out var current) || !ReferenceEquals(current, state))
                    continue;
                if (answered && !state.Answered)
                    DriverLog.HostStoreUnreachable(_logger, hostId, state.Locator);
                state.Answered = answered;
                state.Misses = answered ? 0 : state.Misses + 1;
                drop = state.Misses >= _options.MissesBeforeDrop;
            }
            if (drop)
                Drop(hostId, $"its lease lapsed and it did not answer {_options.MissesBeforeDrop} probes at {state.Locator}");
        }
    }

    /// <summary>Drops a host's records here now (<c>dnp forget-host</c> on this host).</summary>
    public void Forget(string hostId) => Drop(hostId, "it was forgotten (dnp forget-host)");

    private void MarkLapsed(string hostId, string locator)
    {
        lock (_gate)
        {
            if (_lapsed.ContainsKey(hostId))
                return;
            _lapsed[hostId] = new LapsedHost(locator);
        }
        DriverLog.HostLeaseLapsed(_logger, hostId, locator);
    }

    /// <summary>Its host record is back: it published again what it has; what it did not is gone.</summary>
    private async Task ReturnedAsync(string hostId, CancellationToken ct)
    {
        var current = await LayoutMerge.ListAsync(_store, OwnedKind.Endpoint, ct).ConfigureAwait(false);
        var published = current.Select(e => OwnedKey.TryParse(e.Key)?.Logical).OfType<string>().ToHashSet(StringComparer.Ordinal);
        lock (_gate)
            _lapsed.Remove(hostId);
        var gone = _peers.All().Where(r => r.HostId == hostId && !published.Contains(ClusterKeys.Endpoint(r.NetworkId, r.EndpointId))).ToList();
        foreach (var record in gone)
            _peers.Remove(record.NetworkId, record.EndpointId);
        DriverLog.HostReturned(_logger, hostId, gone.Count);
        if (gone.Count > 0)
            _apply(new PeerChange([], gone, IsResync: false));
    }

    private void Drop(string hostId, string why)
    {
        lock (_gate)
        {
            if (!_lapsed.Remove(hostId))
                return;
        }
        var records = _peers.All().Where(r => r.HostId == hostId).ToList();
        foreach (var record in records)
            _peers.Remove(record.NetworkId, record.EndpointId);
        DriverLog.HostDropped(_logger, hostId, records.Count, why);
        if (records.Count > 0)
            _apply(new PeerChange([], records, IsResync: false));
    }

    private static bool Claims(EndpointRecord winner, EndpointRecord other) =>
        string.Equals(winner.Mac, other.Mac, StringComparison.OrdinalIgnoreCase)
        || Address(winner.IPv4) is { } v4 && v4 == Address(other.IPv4)
        || Address(winner.IPv6) is { } v6 && v6 == Address(other.IPv6);

    private static string? Address(string? cidr) => cidr?.Split('/')[0];

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Interval, _time, ct).ConfigureAwait(false);
                await CheckAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or DriverException)
            {
                DriverLog.LivenessStoreFailed(_logger, "*", e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>A host whose lease lapsed: where to probe it and how it answered so far. Guarded by the owner's lock.</summary>
    private sealed class LapsedHost(string locator)
    {
        public string Locator { get; } = locator;
        /// <summary>The last probe was answered (shown as store-unreachable).</summary>
        public bool Answered { get; set; }
        public int Misses { get; set; }
    }
}
