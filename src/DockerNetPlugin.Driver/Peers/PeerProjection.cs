using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Driver.Peers;

/// <summary>
/// The one place that turns endpoint records into kernel entries and computes what to change: desired state →
/// difference → one <see cref="PeerBatch"/>. The watch, the miss responder and the reconciler all program through it.
/// </summary>
internal static class PeerProjection
{
    /// <summary>The kernel view of a record; null when its locator or MAC cannot be parsed (such a record is skipped).</summary>
    public static PeerEntry? ToPeer(EndpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
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

    /// <summary>The peers of <paramref name="records"/> that live on other hosts than <paramref name="hostId"/>.</summary>
    public static IReadOnlyList<PeerEntry> RemotePeers(IEnumerable<EndpointRecord> records, string hostId) =>
        records.Where(r => r.HostId != hostId).Select(ToPeer).OfType<PeerEntry>().ToList();

    /// <summary>The kernel entries that remote <paramref name="records"/> need (with <paramref name="flood"/>: a multicast network's flood list too).</summary>
    public static PeerEntries Project(IEnumerable<EndpointRecord> records, string hostId, bool flood = false) => PeerEntries.Of(RemotePeers(records, hostId), flood);

    /// <summary>
    /// The entries <paramref name="removed"/> records had that no record in <paramref name="remaining"/> still needs: a
    /// flood entry belongs to a host, not an endpoint, so it goes only with the host's last endpoint on the network.
    /// </summary>
    public static PeerEntries Withdrawn(IEnumerable<EndpointRecord> removed, IEnumerable<EndpointRecord> remaining, string hostId, bool flood)
    {
        var gone = Project(removed, hostId, flood);
        if (gone.Flood.Count == 0)
            return gone;
        var still = Project(remaining, hostId, flood).Flood;
        return new PeerEntries(gone.Neighbours, gone.Fdb, gone.Flood.Where(v => !still.Contains(v)));
    }

    /// <summary>
    /// What turns <paramref name="current"/> into <paramref name="desired"/>: every desired entry not present is added, and
    /// every present entry neither desired nor in <paramref name="keep"/> (entries in flux that must be left alone) is removed.
    /// </summary>
    public static PeerBatch Difference(PeerEntries desired, PeerEntries current, PeerEntries? keep = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        keep ??= PeerEntries.Empty;
        return new PeerBatch(
            current.Neighbours.Where(n => !desired.Neighbours.Contains(n) && !keep.Neighbours.Contains(n)).ToList(),
            current.Fdb.Where(f => !desired.Fdb.Contains(f) && !keep.Fdb.Contains(f)).ToList(),
            desired.Neighbours.Where(n => !current.Neighbours.Contains(n)).ToList(),
            desired.Fdb.Where(f => !current.Fdb.Contains(f)).ToList(),
            current.Flood.Where(v => !desired.Flood.Contains(v) && !keep.Flood.Contains(v)).ToList(),
            desired.Flood.Where(v => !current.Flood.Contains(v)).ToList());
    }
}
