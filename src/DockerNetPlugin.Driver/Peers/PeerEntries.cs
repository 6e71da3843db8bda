using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Driver.Peers;

/// <summary>A PERMANENT neighbour entry on vxlan0: a remote endpoint's address to its MAC.</summary>
internal sealed record NeighbourEntry(IPAddress Ip, PhysicalAddress Mac);

/// <summary>A <c>self</c> FDB entry on vxlan0: a remote endpoint's MAC to the VTEP of its host.</summary>
internal sealed record FdbTarget(PhysicalAddress Mac, IPAddress Vtep);

/// <summary>
/// A set of remote endpoints' kernel entries in one overlay namespace: what should be there (projected from the peer
/// table), or what is there (read from the kernel).
/// </summary>
internal sealed class PeerEntries
{
    public PeerEntries(IEnumerable<NeighbourEntry> neighbours, IEnumerable<FdbTarget> fdb)
    {
        Neighbours = neighbours.ToHashSet();
        Fdb = fdb.ToHashSet();
    }

    public static PeerEntries Empty => new([], []);

    public IReadOnlySet<NeighbourEntry> Neighbours { get; }

    public IReadOnlySet<FdbTarget> Fdb { get; }

    /// <summary>The entries of <paramref name="peers"/>: a neighbour per address and one FDB entry each.</summary>
    public static PeerEntries Of(IEnumerable<PeerEntry> peers)
    {
        var list = peers.ToList();
        return new PeerEntries(list.SelectMany(p => p.Addresses.Select(ip => new NeighbourEntry(ip, p.Mac))), list.Select(p => new FdbTarget(p.Mac, p.Vtep)));
    }

    public PeerEntries Union(PeerEntries other) => new(Neighbours.Concat(other.Neighbours), Fdb.Concat(other.Fdb));
}

/// <summary>
/// One change to a namespace's peer entries: removals first (entries already gone are fine), then additions
/// (replace: an entry that exists with other values is overwritten).
/// </summary>
internal sealed record PeerBatch(
    IReadOnlyList<NeighbourEntry> RemoveNeighbours,
    IReadOnlyList<FdbTarget> RemoveFdb,
    IReadOnlyList<NeighbourEntry> AddNeighbours,
    IReadOnlyList<FdbTarget> AddFdb)
{
    public bool IsEmpty => RemoveNeighbours.Count == 0 && RemoveFdb.Count == 0 && AddNeighbours.Count == 0 && AddFdb.Count == 0;

    public int Added => AddNeighbours.Count + AddFdb.Count;

    public int Removed => RemoveNeighbours.Count + RemoveFdb.Count;
}
