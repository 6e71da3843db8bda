namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The cluster's endpoint records as last seen through the watch, by logical network. The kernel's neighbour and
/// FDB entries are a projection of this table. Guarded by its own lock (bottom level: take nothing else inside).
/// </summary>
internal sealed class PeerTable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, EndpointRecord>> _byNetwork = new(StringComparer.Ordinal);

    /// <summary>Insert or update; returns the previous record (null when new).</summary>
    public EndpointRecord? Upsert(EndpointRecord record)
    {
        lock (_gate)
        {
            if (!_byNetwork.TryGetValue(record.NetworkId, out var endpoints))
                _byNetwork[record.NetworkId] = endpoints = new(StringComparer.Ordinal);
            endpoints.TryGetValue(record.EndpointId, out var previous);
            endpoints[record.EndpointId] = record;
            return previous;
        }
    }

    public EndpointRecord? Get(string networkId, string endpointId)
    {
        lock (_gate)
            return _byNetwork.TryGetValue(networkId, out var endpoints) ? endpoints.GetValueOrDefault(endpointId) : null;
    }

    public EndpointRecord? Remove(string networkId, string endpointId)
    {
        lock (_gate)
        {
            if (!_byNetwork.TryGetValue(networkId, out var endpoints) || !endpoints.Remove(endpointId, out var previous))
                return null;
            if (endpoints.Count == 0)
                _byNetwork.Remove(networkId);
            return previous;
        }
    }

    /// <summary>Replace everything (after a watch resync); returns the records that disappeared.</summary>
    public IReadOnlyList<EndpointRecord> ReplaceAll(IEnumerable<EndpointRecord> records)
    {
        lock (_gate)
        {
            var old = _byNetwork.Values.SelectMany(d => d.Values).ToList();
            _byNetwork.Clear();
            foreach (var r in records)
            {
                if (!_byNetwork.TryGetValue(r.NetworkId, out var endpoints))
                    _byNetwork[r.NetworkId] = endpoints = new(StringComparer.Ordinal);
                endpoints[r.EndpointId] = r;
            }
            return old.Where(o => !_byNetwork.TryGetValue(o.NetworkId, out var d) || !d.ContainsKey(o.EndpointId)).ToList();
        }
    }

    public IReadOnlyList<EndpointRecord> Of(string networkId)
    {
        lock (_gate)
            return _byNetwork.TryGetValue(networkId, out var endpoints) ? endpoints.Values.ToList() : [];
    }

    public IReadOnlyList<EndpointRecord> All()
    {
        lock (_gate)
            return _byNetwork.Values.SelectMany(d => d.Values).ToList();
    }

    /// <summary>Find a record by an address (answers L3 misses).</summary>
    public EndpointRecord? FindByIp(string networkId, string ip)
    {
        lock (_gate)
        {
            if (!_byNetwork.TryGetValue(networkId, out var endpoints))
                return null;
            return endpoints.Values.FirstOrDefault(e => Strip(e.IPv4) == ip || Strip(e.IPv6) == ip);
        }
    }

    private static string? Strip(string? cidr) => cidr is null ? null : cidr.Split('/')[0];
}
