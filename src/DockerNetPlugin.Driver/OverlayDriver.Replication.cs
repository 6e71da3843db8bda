using System.Collections.Concurrent;
using DockerNetPlugin.Driver.Cluster;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    // Docker network id → logical id of networks this host's Docker removed, until the replicator sees Docker's
    // "destroy" event for them (only a removal Docker committed has one; a rolled-back create does not).
    private readonly ConcurrentDictionary<string, string> _deletedNetworks = new(StringComparer.Ordinal);

    // Logical id → when this host last removed a Docker network of it. Kept for the grace period whether or not the
    // destroy event came: a replication pass that read the records just before the removal was marked must not
    // create the network here again.
    private readonly ConcurrentDictionary<string, DateTime> _deletedAt = new(StringComparer.Ordinal);

    /// <summary>How long a network this host removed is not re-created here, while its removal is marked everywhere.</summary>
    private static readonly TimeSpan s_deletedGrace = TimeSpan.FromSeconds(60);

    internal RecordStore ClusterRecords => _cluster;

    /// <summary>Replication state per logical network, written by the <see cref="Replication.NetworkReplicator"/>.</summary>
    internal Replication.ReplicationBoard Replication { get; } = new();

    internal DriverOptions Options => _options;

    /// <summary>This host's Docker networks and the logical network each one is.</summary>
    internal IReadOnlyList<LocalNetworkRef> LocalNetworks() =>
        _networks.Values.Select(r => new LocalNetworkRef(r.Network.DockerNetworkId, r.Network.LogicalId, r.Endpoints.Count)).ToList();

    /// <summary>The logical network a Docker network this host removed belonged to (once; null if unknown).</summary>
    internal string? TakeDeletedNetwork(string dockerNetworkId) =>
        _deletedNetworks.TryRemove(dockerNetworkId, out var logicalId) ? logicalId : null;

    /// <summary>
    /// True for a while after this host removed a Docker network of the logical network: replication must not create
    /// it again here while the removal is being marked for every host (a removal the user just made would come back).
    /// </summary>
    internal bool RecentlyDeletedHere(string logicalId) =>
        _deletedAt.TryGetValue(logicalId, out var at) && DateTime.UtcNow - at < s_deletedGrace;

    private void RememberDeleted(string dockerNetworkId, string logicalId)
    {
        if (!_options.Replicate)
            return;
        if (_deletedNetworks.Count > 1024)
            _deletedNetworks.Clear(); // nobody consumed them (no event stream): they only speed up propagation
        foreach (var (id, at) in _deletedAt)
        {
            if (DateTime.UtcNow - at >= s_deletedGrace)
                _deletedAt.TryRemove(id, out _);
        }
        _deletedAt[logicalId] = DateTime.UtcNow;
        _deletedNetworks[dockerNetworkId] = logicalId;
    }
}

/// <summary>A Docker network of this host, the logical network it maps to, and how many local endpoints it has.</summary>
internal sealed record LocalNetworkRef(string DockerNetworkId, string LogicalId, int Endpoints);
