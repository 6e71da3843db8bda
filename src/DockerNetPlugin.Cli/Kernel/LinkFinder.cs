using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Cli.Kernel;

/// <summary>
/// Finds an interface index in every namespace of a catalog and names each veth's peer. Indexes are per namespace, so
/// one index may match in several. A veth reports its peer's index (IFLA_LINK) and, when the peer lives elsewhere, a
/// namespace id; the peer is the veth with that index whose own peer index points back.
/// </summary>
internal static class LinkFinder
{
    public static IReadOnlyList<LinkMatch> Find(int index, IReadOnlyList<OpenNamespace> namespaces)
    {
        var matches = new List<LinkMatch>();
        foreach (var ns in namespaces)
        {
            if (ns.Rtnl.LinkByIndex(index) is { } link)
                matches.Add(new LinkMatch(ns.View, Describe(ns, link), FindPeer(ns, link, namespaces)));
        }
        return matches;
    }

    private static LinkEnd? FindPeer(OpenNamespace home, LinkInfo link, IReadOnlyList<OpenNamespace> namespaces)
    {
        if (link.Kind != "veth" || link.PeerIndex is not { } peerIndex || peerIndex <= 0)
            return null;
        if (link.LinkNetNsId is null)
            return home.Rtnl.LinkByIndex(peerIndex) is { } local ? new LinkEnd(home.View, Describe(home, local)) : null;
        foreach (var ns in namespaces.Where(n => !ReferenceEquals(n, home)))
        {
            if (ns.Rtnl.LinkByIndex(peerIndex) is { Kind: "veth", LinkNetNsId: not null } candidate && candidate.PeerIndex == link.Index)
                return new LinkEnd(ns.View, Describe(ns, candidate));
        }
        return null;
    }

    private static LinkView Describe(OpenNamespace ns, LinkInfo link)
    {
        var master = link.MasterIndex > 0 ? ns.Rtnl.LinkByIndex(link.MasterIndex)?.Name : null;
        var mac = link.Mac is { } m ? MacText.Format(m) : null;
        return new LinkView(link.Index, link.Name, link.Kind, link.Mtu, mac, link.IsUp, master, link.PeerIndex);
    }
}
