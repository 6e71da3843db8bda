using System.Collections.Concurrent;
using DockerNetPlugin.Driver.Cluster;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    // Docker network id → logical id of networks this host's Docker removed, until the replicator sees Docker's
    // "destroy" event for them (only a removal Docker committed has one; a rolled-back create does not).
    private readonly ConcurrentDictionary<string, string> _deletedNetworks = new(StringComparer.Ordinal);

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

    private void RememberDeleted(string dockerNetworkId, string logicalId)
    {
        if (!_options.Replicate)
            return;
        if (_deletedNetworks.Count > 1024)
            _deletedNetworks.Clear(); // nobody consumed them (no event stream): they only speed up propagation
        _deletedNetworks[dockerNetworkId] = logicalId;
    }
}

/// <summary>A Docker network of this host, the logical network it maps to, and how many local endpoints it has.</summary>
internal sealed record LocalNetworkRef(string DockerNetworkId, string LogicalId, int Endpoints);
