using System.Collections.Concurrent;
using DockerNetPlugin.Driver.Cluster;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    // Docker network id → logical id of networks this host's Docker removed, until the replicator sees Docker's
    // "destroy" event for them (only a removal Docker committed has one; a rolled-back create does not).
    private readonly ConcurrentDictionary<string, (string LogicalId, DateTime At)> _deletedNetworks = new(StringComparer.Ordinal);

    /// <summary>How long a network this host removed is not re-created here, waiting for Docker's destroy event to mark it removed everywhere.</summary>
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
        _deletedNetworks.TryRemove(dockerNetworkId, out var deleted) ? deleted.LogicalId : null;

    /// <summary>
    /// True while this host's removal of the logical network awaits Docker's destroy event: replication must not
    /// create it again here in between (a removal the user just made would come back).
    /// </summary>
    internal bool RecentlyDeletedHere(string logicalId) =>
        _deletedNetworks.Values.Any(d => d.LogicalId == logicalId && DateTime.UtcNow - d.At < s_deletedGrace);

    private void RememberDeleted(string dockerNetworkId, string logicalId)
    {
        if (!_options.Replicate)
            return;
        if (_deletedNetworks.Count > 1024)
            _deletedNetworks.Clear(); // nobody consumed them (no event stream): they only speed up propagation
        _deletedNetworks[dockerNetworkId] = (logicalId, DateTime.UtcNow);
    }
}

/// <summary>A Docker network of this host, the logical network it maps to, and how many local endpoints it has.</summary>
internal sealed record LocalNetworkRef(string DockerNetworkId, string LogicalId, int Endpoints);
