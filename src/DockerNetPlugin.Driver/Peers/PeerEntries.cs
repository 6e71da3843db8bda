using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Driver.Peers;

/// <summary>A PERMANENT neighbour entry on vxlan0: a remote endpoint's address to its MAC.</summary>
internal sealed record NeighbourEntry(IPAddress Ip, PhysicalAddress Mac);

/// <summary>A <c>self</c> FDB entry on vxlan0: a remote endpoint's MAC to the VTEP of its host.</summary>
internal sealed record FdbTarget(PhysicalAddress Mac, IPAddress Vtep);

/// <summary>
/// A set of remote endpoints' kernel entries in one overlay namespace: what should be there (projected from the peer
/// table), or what is there (read from the kernel). <see cref="Flood"/> holds the VTEPs of the flood list
/// (<c>00:00:00:00:00:00 dst VTEP self permanent</c>, one per remote host), set only on multicast networks.
/// </summary>
internal sealed class PeerEntries
{
    public PeerEntries(IEnumerable<NeighbourEntry> neighbours, IEnumerable<FdbTarget> fdb, IEnumerable<IPAddress>? flood = null)
    {
        Neighbours = neighbours.ToHashSet();
        Fdb = fdb.ToHashSet();
        Flood = (flood ?? []).ToHashSet();
    }

    public static PeerEntries Empty => new([], []);

    public IReadOnlySet<NeighbourEntry> Neighbours { get; }

    public IReadOnlySet<FdbTarget> Fdb { get; }

    /// <summary>The remote hosts' VTEPs that broadcast, multicast and unknown-destination frames are replicated to.</summary>
    public IReadOnlySet<IPAddress> Flood { get; }

    /// <summary>
    /// The entries of <paramref name="peers"/>: a neighbour per address and one FDB entry each, and with
    /// <paramref name="flood"/> one flood entry per distinct VTEP (head-end replication to every host that has endpoints).
    /// </summary>
    public static PeerEntries Of(IEnumerable<PeerEntry> peers, bool flood = false)
    {
        var list = peers.ToList();
        return new PeerEntries(list.SelectMany(p => p.Addresses.Select(ip => new NeighbourEntry(ip, p.Mac))), list.Select(p => new FdbTarget(p.Mac, p.Vtep)),
            flood ? list.Select(p => p.Vtep) : null);
    }

    public PeerEntries Union(PeerEntries other) => new(Neighbours.Concat(other.Neighbours), Fdb.Concat(other.Fdb), Flood.Concat(other.Flood));
}

/// <summary>
/// One change to a namespace's peer entries: removals first (entries already gone are fine), then additions
/// (replace: an entry that exists with other values is overwritten; flood entries are appended, one remote each).
/// </summary>
internal sealed record PeerBatch(
    IReadOnlyList<NeighbourEntry> RemoveNeighbours,
    IReadOnlyList<FdbTarget> RemoveFdb,
    IReadOnlyList<NeighbourEntry> AddNeighbours,
    IReadOnlyList<FdbTarget> AddFdb,
    IReadOnlyList<IPAddress> RemoveFlood,
    IReadOnlyList<IPAddress> AddFlood)
{
    public bool IsEmpty => Added == 0 && Removed == 0;

    public int Added => AddNeighbours.Count + AddFdb.Count + AddFlood.Count;

    public int Removed => RemoveNeighbours.Count + RemoveFdb.Count + RemoveFlood.Count;
}
