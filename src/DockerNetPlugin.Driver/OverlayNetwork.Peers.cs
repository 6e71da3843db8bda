using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Peers;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver;

/// <summary>
/// The remote endpoints' neighbour and FDB entries of one network, and on a multicast network its flood list (one
/// zero-MAC entry per remote host that has endpoints on it). Every path (the watch, a miss, reconciliation)
/// computes desired state against what it knows is there with <see cref="PeerProjection.Difference"/> and writes the
/// result as one batch through <see cref="ProgramPeers"/>. These take only the kernel gate, never the network lock.
/// </summary>
internal sealed partial class OverlayNetwork
{
    /// <summary>A watch change: entries of upserted records are added, entries only the removed ones had are removed.</summary>
    public void ApplyPeerChange(PeerChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var upserted = change.IsResync ? _services.Peers.Of(LogicalId) : change.Upserted.Where(r => r.NetworkId == LogicalId).ToList();
        var removed = change.Removed.Where(r => r.NetworkId == LogicalId).ToList();
        if (upserted.Count == 0 && removed.Count == 0)
            return;
        var batch = PeerProjection.Difference(Desired(upserted),
            PeerProjection.Withdrawn(removed, _services.Peers.Of(LogicalId), _services.Options.HostId, Network.Multicast));
        lock (_kernelGate)
        {
            if (_sandbox is not null)
                ProgramPeers(_sandbox, batch);
        }
    }

    /// <summary>
    /// A miss in the namespace: program the entry from the peer table (a lost notification re-programs them all).
    /// Misses for addresses no record has (a container pinging nothing) are left unanswered.
    /// </summary>
    public void AnswerMiss(NeighborMiss miss)
    {
        var peers = _services.Peers;
        var records = miss switch
        {
            L3Miss l3 => peers.FindByIp(LogicalId, l3.Ip.ToString()) is { } r ? [r] : [],
            L2Miss l2 => peers.Of(LogicalId).Where(r => PeerProjection.ToPeer(r)?.Mac.Equals(l2.Mac) == true).ToList(),
            MissResync => peers.Of(LogicalId),
            _ => [],
        };
        records = records.Where(r => r.HostId != _services.Options.HostId).ToList();
        if (records.Count == 0)
            return;
        var batch = PeerProjection.Difference(Desired(records), PeerEntries.Empty);
        lock (_kernelGate)
        {
            if (_sandbox is null)
                return;
            ProgramPeers(_sandbox, batch);
        }
        DriverLog.MissAnswered(_services.Logger, DockerNetworkId, miss.ToString(), string.Join(", ", records.Select(r => r.EndpointId)));
    }

    /// <summary>The kernel entries <paramref name="records"/> need in this network's namespace (flood list included when it is a multicast network).</summary>
    private PeerEntries Desired(IEnumerable<EndpointRecord> records) => PeerProjection.Project(records, _services.Options.HostId, Network.Multicast);

    /// <summary>Writes one batch; the caller holds the kernel gate. A failure is logged: the next miss or reconciliation heals it.</summary>
    private void ProgramPeers(ISandbox sandbox, PeerBatch batch)
    {
        if (batch.IsEmpty)
            return;
        try
        {
            sandbox.Apply(batch);
            DriverLog.PeersProgrammed(_services.Logger, DockerNetworkId, batch.Added, batch.Removed);
        }
        catch (NetlinkException e)
        {
            DriverLog.PeersFailed(_services.Logger, DockerNetworkId, e.Message);
        }
    }
}
