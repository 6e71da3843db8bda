using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// What the VXLAN guard asks of the kernel, without a kernel: its names, its ownership marker, and the transactions
/// that build it or replace its VTEPs. <see cref="VxlanGuardTable"/> runs these plans against a namespace.
/// </summary>
internal sealed class VxlanGuardPlan
{
    internal const string ChainName = "input";
    internal const string Ipv4SetName = "vteps4";
    internal const string Ipv6SetName = "vteps6";
    internal const int Priority = -200;
    internal const string Ipv4RuleComment = "dnp: vxlan from a non-VTEP ipv4 source";
    internal const string Ipv6RuleComment = "dnp: vxlan from a non-VTEP ipv6 source";
    private const string MarkerPrefix = "dnp vxlan guard v1 owner=";
    private const int MaxOwnerLength = 48;

    private readonly string _ownerPrefix;

    internal VxlanGuardPlan(string owner, string tableName)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (owner.Length > MaxOwnerLength || !owner.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"a guard owner has 1..{MaxOwnerLength} characters from [A-Za-z0-9_.-]: '{owner}'", nameof(owner));
        }

        TableName = NftNames.Check(tableName, "table");
        _ownerPrefix = MarkerPrefix + owner + " ";
    }

    internal string TableName { get; }

    /// <summary>The table comment for <paramref name="port"/>: it proves the table is ours and records the port it guards.</summary>
    internal string Marker(ushort port) => $"{_ownerPrefix}port={port}";

    /// <summary>Whether a table's comment carries our marker (for any port).</summary>
    internal bool IsOurs(NftTable table) => table.Comment is { } comment && comment.StartsWith(_ownerPrefix, StringComparison.Ordinal);

    /// <summary>Whether a chain's rules are exactly the two the guard builds.</summary>
    internal static bool IsComplete(IReadOnlyList<NftRuleInfo> rules) =>
        rules.Count == 2 && rules.Any(r => r.Comment == Ipv4RuleComment) && rules.Any(r => r.Comment == Ipv6RuleComment);

    /// <summary>The counters of the two rules (0 for a rule that is missing).</summary>
    internal static VxlanGuardCounters Counters(IReadOnlyList<NftRuleInfo> rules)
    {
        var v4 = rules.FirstOrDefault(r => r.Comment == Ipv4RuleComment);
        var v6 = rules.FirstOrDefault(r => r.Comment == Ipv6RuleComment);
        return new VxlanGuardCounters(v4?.Packets ?? 0, v4?.Bytes ?? 0, v6?.Packets ?? 0, v6?.Bytes ?? 0);
    }

    /// <summary>Table (with marker), sets with their elements, the base chain and both rules.</summary>
    internal void Build(NftTransaction tx, ushort port, IReadOnlyList<IPAddress> v4, IReadOnlyList<IPAddress> v6)
    {
        tx.AddTable(TableName, Marker(port));
        var set4 = tx.AddAddressSet(TableName, Ipv4SetName, AddressFamily.InterNetwork);
        var set6 = tx.AddAddressSet(TableName, Ipv6SetName, AddressFamily.InterNetworkV6);
        tx.AddElements(TableName, Ipv4SetName, set4, v4);
        tx.AddElements(TableName, Ipv6SetName, set6, v6);
        tx.AddBaseChain(TableName, ChainName, Nft.NF_INET_LOCAL_IN, Priority);
        tx.AddRule(TableName, ChainName, DropRule(port, Nft.NFPROTO_IPV4, 12, 4, Ipv4SetName, set4), Ipv4RuleComment);
        tx.AddRule(TableName, ChainName, DropRule(port, Nft.NFPROTO_IPV6, 8, 16, Ipv6SetName, set6), Ipv6RuleComment);
    }

    /// <summary>Flush both sets and add the new elements: the VTEPs change in one step, never through an empty set.</summary>
    internal void ReplaceElements(NftTransaction tx, IReadOnlyList<IPAddress> v4, IReadOnlyList<IPAddress> v6)
    {
        tx.FlushSet(TableName, Ipv4SetName);
        tx.AddElements(TableName, Ipv4SetName, null, v4);
        tx.FlushSet(TableName, Ipv6SetName);
        tx.AddElements(TableName, Ipv6SetName, null, v6);
    }

    /// <summary>`udp dport PORT ip[6] saddr != @SET counter drop` as nft compiles it for an inet table.</summary>
    internal static NftExpression[] DropRule(ushort port, byte nfproto, uint sourceOffset, uint sourceLength, string set, uint? setId) =>
    [
        new NftMeta(Nft.NFT_META_L4PROTO),
        new NftCmp(Nft.NFT_CMP_EQ, [Nft.IPPROTO_UDP]),
        new NftPayload(Nft.NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2),
        new NftCmp(Nft.NFT_CMP_EQ, [(byte)(port >> 8), (byte)port]),
        new NftMeta(Nft.NFT_META_NFPROTO),
        new NftCmp(Nft.NFT_CMP_EQ, [nfproto]),
        new NftPayload(Nft.NFT_PAYLOAD_NETWORK_HEADER, sourceOffset, sourceLength),
        new NftLookup(set, setId, Inverted: true),
        new NftCounter(),
        new NftVerdict(Nft.NF_DROP),
    ];

    /// <summary>VTEPs split by family, IPv4-mapped IPv6 taken as IPv4, scope ids dropped, duplicates removed.</summary>
    internal static (IReadOnlyList<IPAddress> V4, IReadOnlyList<IPAddress> V6) Split(IEnumerable<IPAddress> vteps)
    {
        ArgumentNullException.ThrowIfNull(vteps);
        var v4 = new List<IPAddress>();
        var v6 = new List<IPAddress>();
        var seen = new HashSet<IPAddress>();
        foreach (var raw in vteps)
        {
            ArgumentNullException.ThrowIfNull(raw, nameof(vteps));
            var address = raw.IsIPv4MappedToIPv6 ? raw.MapToIPv4() : raw;
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            {
                address = new IPAddress(address.GetAddressBytes());
            }

            if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                throw new ArgumentException($"a VTEP is an IPv4 or IPv6 address: {address}", nameof(vteps));
            }

            if (seen.Add(address))
            {
                (address.AddressFamily == AddressFamily.InterNetwork ? v4 : v6).Add(address);
            }
        }

        return (v4, v6);
    }
}
