using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// The gate between the endpoint records' watch (both key layouts) and the peer table: only endpoint records that pass both stages of
/// <see cref="RecordValidator"/> get through; the rest are reported (once) to the <see cref="InvalidRecordLog"/> and
/// never reach a kernel. A record refused only for its context (its host not registered yet, a locator that does
/// not match, a network this host learns later) is held, and <see cref="Recheck"/> lets it in once the context agrees.
/// A host whose lease lapsed while this host keeps its entries (store-unreachable: <see cref="Liveness.HostLiveness"/>)
/// counts as registered with the locator it had: when it comes back it writes its endpoint records again before its host
/// record (the host record last means "all re-published"), and refusing those in between would take its entries out of
/// the kernels for that moment, and drop replies the outage itself never cost.
/// </summary>
internal sealed class PeerAdmission
{
    private readonly InvalidRecordLog _log;
    private readonly HostDirectory _hosts;
    private readonly Func<string, NetworkFacts?> _networkFacts;
    private readonly Func<IEnumerable<KeyValuePair<string, IPAddress>>> _lapsed;

    // Guards _held (key → raw entry refused for its context). Bottom level.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KvEntry> _held = new(StringComparer.Ordinal);

    /// <param name="networkFacts">Logical network id → its facts, or null when this host does not know the network.</param>
    /// <param name="lapsed">Hosts whose lease lapsed while their entries are kept here → the locator each had.</param>
    public PeerAdmission(InvalidRecordLog log, HostDirectory hosts, Func<string, NetworkFacts?> networkFacts,
        Func<IEnumerable<KeyValuePair<string, IPAddress>>>? lapsed = null)
    {
        _log = log;
        _hosts = hosts;
        _networkFacts = networkFacts;
        _lapsed = lapsed ?? (() => []);
    }

    /// <summary>A put: the record if it may be used, else null (reported, and held if only its context is wrong).</summary>
    public EndpointRecord? Admit(KvEntry entry) => Admit(entry, Hosts());

    /// <summary>Host id → the locator its endpoint records must carry: the registered hosts, and the lapsed ones kept here.</summary>
    private Dictionary<string, IPAddress> Hosts()
    {
        var hosts = new Dictionary<string, IPAddress>(_hosts.Snapshot(), StringComparer.Ordinal);
        foreach (var (id, locator) in _lapsed())
            hosts.TryAdd(id, locator); // a registered host's own record wins
        return hosts;
    }

    /// <summary>
    /// A full read (resync, reconcile pass) of the endpoint records of both key layouts (<see cref="LayoutMerge"/>): the
    /// usable records. Invalid ones among endpoint keys are exactly those reported now; keys that went or became valid
    /// leave the log.
    /// </summary>
    public IReadOnlyList<EndpointRecord> AdmitAll(IEnumerable<KvEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var hosts = Hosts();
        var valid = new List<EndpointRecord>();
        var invalid = new List<InvalidRecord>();
        lock (_gate)
        {
            foreach (var key in _held.Keys.Where(RecordValidator.IsEndpointScope).ToList())
                _held.Remove(key);
        }
        foreach (var entry in entries)
        {
            var (record, why) = Check(entry, hosts);
            if (record is not null)
                valid.Add(record);
            else
                invalid.Add(why!);
        }
        _log.ReplaceWhere(RecordValidator.IsEndpointScope, invalid);
        return valid;
    }

    /// <summary>A delete: the ids the key names (null for a malformed key, which is then simply forgotten).</summary>
    public (string NetworkId, string EndpointId)? Deleted(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
            _held.Remove(key);
        _log.Clear(key);
        return RecordValidator.EndpointKey(key);
    }

    /// <summary>After hosts or networks changed: the held records that are usable now (they leave the log and the hold).</summary>
    public IReadOnlyList<EndpointRecord> Recheck()
    {
        List<KvEntry> held;
        lock (_gate)
            held = [.. _held.Values];
        var hosts = Hosts();
        return held.Select(e => Admit(e, hosts)).OfType<EndpointRecord>().ToList();
    }

    /// <summary>
    /// Records admitted earlier, checked again against the context now (a network this host learned since): the ones
    /// that fail are returned, reported and held (so they come back if the context changes again).
    /// </summary>
    public IReadOnlyList<EndpointRecord> Refuse(IEnumerable<EndpointRecord> admitted)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        var hosts = Hosts();
        var refused = new List<EndpointRecord>();
        foreach (var record in admitted)
        {
            var key = ClusterKeys.Endpoint(record.NetworkId, record.EndpointId);
            if (RecordValidator.EndpointInContext(key, record, _networkFacts(record.NetworkId), hosts) is not { } why)
                continue;
            lock (_gate)
            {
                if (_held.Count < InvalidRecordLog.MaxTracked)
                    _held[key] = new KvEntry(key, RecordStore.Encode(record, DriverJsonContext.Default.EndpointRecord), 0, 0, null);
            }
            _log.Report(why);
            refused.Add(record);
        }
        return refused;
    }

    private EndpointRecord? Admit(KvEntry entry, IReadOnlyDictionary<string, IPAddress> hosts)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (record, why) = Check(entry, hosts);
        if (record is null)
        {
            _log.Report(why!);
            return null;
        }
        _log.Clear(entry.Key);
        return record;
    }

    private (EndpointRecord? Record, InvalidRecord? Why) Check(KvEntry entry, IReadOnlyDictionary<string, IPAddress> hosts)
    {
        var check = RecordValidator.Endpoint(entry);
        lock (_gate)
            _held.Remove(entry.Key);
        if (check.Value is not { } record)
            return (null, check.Invalid);
        if (RecordValidator.EndpointInContext(entry.Key, record, _networkFacts(record.NetworkId), hosts) is { } why)
        {
            lock (_gate)
            {
                if (_held.Count < InvalidRecordLog.MaxTracked)
                    _held[entry.Key] = entry;
            }
            return (null, why);
        }
        return (record, null);
    }
}
