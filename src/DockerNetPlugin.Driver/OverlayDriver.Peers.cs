using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Sandbox;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver;

public sealed partial class OverlayDriver
{
    /// <summary>Program a watch change into every namespace of the affected logical networks.</summary>
    private Task ApplyPeerChangeAsync(PeerChange change)
    {
        var affected = change.Upserted.Select(r => r.NetworkId).Concat(change.Removed.Select(r => r.NetworkId)).ToHashSet(StringComparer.Ordinal);
        foreach (var runtime in _networks.Values.Where(r => change.IsResync || affected.Contains(r.Network.LogicalId)))
        {
            var logicalId = runtime.Network.LogicalId;
            lock (runtime.KernelGate)
            {
                if (runtime.Sandbox is null)
                    continue;
                ProgramPeers(runtime,
                    change.IsResync ? _peers.Of(logicalId) : change.Upserted.Where(r => r.NetworkId == logicalId).ToList(),
                    change.Removed.Where(r => r.NetworkId == logicalId).ToList());
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Add and remove remote endpoints' neighbour/FDB entries; the caller holds the network's KernelGate.</summary>
    private void ProgramPeers(NetworkRuntime runtime, IReadOnlyList<EndpointRecord> upserted, IReadOnlyList<EndpointRecord> removed)
    {
        var sandbox = runtime.Sandbox;
        if (sandbox is null)
            return;
        var add = upserted.Where(IsRemote).Select(ToPeer).OfType<PeerEntry>().ToList();
        var remove = removed.Where(IsRemote).Select(ToPeer).OfType<PeerEntry>()
            .Where(r => !add.Any(a => a.Mac.Equals(r.Mac) && a.Vtep.Equals(r.Vtep) && Equals(a.IPv4, r.IPv4) && Equals(a.IPv6, r.IPv6)))
            .ToList();
        try
        {
            sandbox.RemovePeers(remove);
            sandbox.AddPeers(add);
            DriverLog.PeersProgrammed(_logger, runtime.Network.DockerNetworkId, add.Count, remove.Count);
        }
        catch (Exception e) when (e is NetlinkException or NetlinkBatchException)
        {
            DriverLog.PeersFailed(_logger, runtime.Network.DockerNetworkId, e.Message);
        }
    }

    /// <summary>
    /// A miss in a namespace: program the entry from the peer cache (a lost notification re-programs them all).
    /// Misses for addresses no record has (a container pinging nothing) are left unanswered.
    /// </summary>
    private void AnswerMiss(NetworkRuntime runtime, NeighborMiss miss)
    {
        var logicalId = runtime.Network.LogicalId;
        var records = miss switch
        {
            L3Miss l3 => _peers.FindByIp(logicalId, l3.Ip.ToString()) is { } r ? [r] : [],
            L2Miss l2 => _peers.Of(logicalId).Where(r => ToPeer(r)?.Mac.Equals(l2.Mac) == true).ToList(),
            MissResync => _peers.Of(logicalId),
            _ => [],
        };
        records = records.Where(IsRemote).ToList();
        if (records.Count == 0)
            return;
        lock (runtime.KernelGate)
        {
            if (runtime.Sandbox is null)
                return;
            ProgramPeers(runtime, records, []);
        }
        DriverLog.MissAnswered(_logger, runtime.Network.DockerNetworkId, miss.ToString(), string.Join(", ", records.Select(r => r.EndpointId)));
    }

    private bool IsRemote(EndpointRecord record) => record.HostId != _options.HostId;

    private static PeerEntry? ToPeer(EndpointRecord record)
    {
        if (!IPAddress.TryParse(record.Locator, out var vtep))
            return null;
        PhysicalAddress mac;
        try
        {
            mac = PhysicalAddress.Parse(record.Mac);
        }
        catch (FormatException)
        {
            return null;
        }
        var v4 = InterfaceAddress.TryParse(record.IPv4, out var a4) ? a4.Address : null;
        var v6 = InterfaceAddress.TryParse(record.IPv6, out var a6) ? a6.Address : null;
        return new PeerEntry(v4, v6, mac, vtep);
    }
}
