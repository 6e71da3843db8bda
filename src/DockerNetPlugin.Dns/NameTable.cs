using System.Net;

namespace DockerNetPlugin.Dns;

/// <summary>
/// The names every dnp network answers, shared by all resolver instances of a host. Writers (the integrator's store
/// watch and Engine event loop) serialise on one lock and publish an immutable <see cref="NameSnapshot"/>; the
/// resolvers read the latest snapshot without locking, so a query never waits for an update.
/// </summary>
public sealed class NameTable
{
    // Guards _networkNames, _records and _views, and the publication of _snapshot. Bottom of any lock order:
    // nothing else is taken while it is held.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _networkNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, NameRecord>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NetworkView> _views = new(StringComparer.Ordinal);
    private volatile NameSnapshot _snapshot = NameSnapshot.Empty;

    /// <summary>The latest published state.</summary>
    internal NameSnapshot Current => _snapshot;

    /// <summary>Sets (or renames) the Docker name of a network, which <c>NAME.NETWORK</c> and PTR answers use.</summary>
    public void SetNetwork(string networkId, string networkName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(networkId);
        ArgumentException.ThrowIfNullOrWhiteSpace(networkName);
        lock (_gate)
        {
            _networkNames[networkId] = networkName;
            RebuildNetwork(networkId);
            Publish();
        }
    }

    /// <summary>Forgets a network and every record on it; false when it was unknown.</summary>
    public bool RemoveNetwork(string networkId)
    {
        lock (_gate)
        {
            var known = _networkNames.Remove(networkId) | _records.Remove(networkId);
            _views.Remove(networkId);
            Publish();
            return known;
        }
    }

    /// <summary>Adds or replaces the record of one endpoint.</summary>
    /// <exception cref="ArgumentException">The record cannot be served; the message says why.</exception>
    public void Upsert(NameRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Validate() is { } error)
        {
            throw new ArgumentException($"name record of endpoint {record.EndpointId} on network {record.NetworkId}: {error}", nameof(record));
        }

        lock (_gate)
        {
            if (!_records.TryGetValue(record.NetworkId, out var endpoints))
            {
                endpoints = new Dictionary<string, NameRecord>(StringComparer.Ordinal);
                _records[record.NetworkId] = endpoints;
            }

            endpoints[record.EndpointId] = record;
            RebuildNetwork(record.NetworkId);
            Publish();
        }
    }

    /// <summary>Removes the record of one endpoint; false when there was none.</summary>
    public bool Remove(string networkId, string endpointId)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(networkId, out var endpoints) || !endpoints.Remove(endpointId))
            {
                return false;
            }

            RebuildNetwork(networkId);
            Publish();
            return true;
        }
    }

    /// <summary>
    /// Makes <paramref name="records"/> the complete set of records owned by <paramref name="hostId"/> (a resync from the
    /// store, or an empty list when the host's lease expired). Invalid records are skipped and returned with the reason.
    /// </summary>
    public IReadOnlyList<(NameRecord Record, string Error)> ReplaceHost(string hostId, IEnumerable<NameRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rejected = new List<(NameRecord, string)>();
        var accepted = new List<NameRecord>();
        foreach (var record in records)
        {
            if (record.HostId != hostId)
            {
                rejected.Add((record, $"owned by host {record.HostId}, not {hostId}"));
            }
            else if (record.Validate() is { } error)
            {
                rejected.Add((record, error));
            }
            else
            {
                accepted.Add(record);
            }
        }

        lock (_gate)
        {
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (networkId, endpoints) in _records)
            {
                foreach (var endpointId in endpoints.Where(e => e.Value.HostId == hostId).Select(e => e.Key).ToList())
                {
                    endpoints.Remove(endpointId);
                    touched.Add(networkId);
                }
            }

            foreach (var record in accepted)
            {
                if (!_records.TryGetValue(record.NetworkId, out var endpoints))
                {
                    endpoints = new Dictionary<string, NameRecord>(StringComparer.Ordinal);
                    _records[record.NetworkId] = endpoints;
                }

                endpoints[record.EndpointId] = record;
                touched.Add(record.NetworkId);
            }

            foreach (var networkId in touched)
            {
                RebuildNetwork(networkId);
            }

            Publish();
        }

        return rejected;
    }

    /// <summary>Every record, or those of one network, ordered by network and container name (for <c>dnp names</c>).</summary>
    public IReadOnlyList<NameRecord> GetRecords(string? networkId = null)
    {
        lock (_gate)
        {
            return _records
                .Where(n => networkId is null || n.Key == networkId)
                .SelectMany(n => n.Value.Values)
                .OrderBy(r => r.NetworkId, StringComparer.Ordinal)
                .ThenBy(r => r.ContainerName, StringComparer.Ordinal)
                .ThenBy(r => r.EndpointId, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The Docker name set for a network, or null.</summary>
    public string? GetNetworkName(string networkId)
    {
        lock (_gate)
        {
            return _networkNames.GetValueOrDefault(networkId);
        }
    }

    private void RebuildNetwork(string networkId)
    {
        var records = _records.GetValueOrDefault(networkId);
        if (records is null || records.Count == 0)
        {
            _records.Remove(networkId);
        }

        _views[networkId] = NetworkView.Build(networkId, _networkNames.GetValueOrDefault(networkId), records?.Values ?? Enumerable.Empty<NameRecord>());
    }

    private void Publish()
    {
        var askers = new Dictionary<IPAddress, List<(string NetworkId, string ContainerId)>>();
        var containerNetworks = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (networkId, endpoints) in _records)
        {
            foreach (var record in endpoints.Values)
            {
                foreach (var address in new[] { record.Ipv4, record.Ipv6 })
                {
                    if (address is null)
                    {
                        continue;
                    }

                    if (!askers.TryGetValue(address, out var list))
                    {
                        list = [];
                        askers[address] = list;
                    }

                    list.Add((networkId, record.ContainerId));
                }

                if (!containerNetworks.TryGetValue(record.ContainerId, out var networks))
                {
                    networks = new SortedSet<string>(StringComparer.Ordinal);
                    containerNetworks[record.ContainerId] = networks;
                }

                networks.Add(networkId);
            }
        }

        var views = new Dictionary<string, NetworkView>(_views, StringComparer.Ordinal);
        var viewsByContainer = containerNetworks.ToDictionary(
            c => c.Key,
            c => (IReadOnlyList<NetworkView>)c.Value.Select(id => views[id])
                .OrderBy(v => v.Name ?? "\uffff" + v.Id, StringComparer.Ordinal)
                .ToArray(),
            StringComparer.Ordinal);
        _snapshot = new NameSnapshot(views, askers, viewsByContainer);
    }
}
