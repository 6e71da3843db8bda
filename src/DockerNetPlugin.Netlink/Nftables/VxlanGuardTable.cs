using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Interop;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// The kernel half of the VXLAN guard: a table of our own (family inet) that drops UDP to the VXLAN port unless the
/// source is an allowed VTEP, and counts what it drops. In `nft` terms:
/// <code>
/// table inet NAME {
///   comment "MARKER"
///   set vteps4 { type ipv4_addr; }   set vteps6 { type ipv6_addr; }
///   chain input {
///     type filter hook input priority -200; policy accept;
///     udp dport PORT ip saddr != @vteps4 counter drop comment "dnp: vxlan from a non-VTEP ipv4 source"
///     udp dport PORT ip6 saddr != @vteps6 counter drop comment "dnp: vxlan from a non-VTEP ipv6 source"
///   }
/// }
/// </code>
/// Hook input: only datagrams delivered to this namespace's own sockets (the VXLAN socket) are judged; traffic the
/// host forwards is never touched. Priority -200: before every filter-type chain (Docker's iptables-nft and firewalld
/// use 0, mangle -150), so the counter sees every stranger even when a later table would drop it too. A drop here also
/// happens before conntrack confirms the flow (confirm runs last in input), so a spray leaves no conntrack entries.
/// Docker's own tables and chains are never read or changed: a drop in any table is final, an accept is not, so the
/// guard composes with them. Ownership is the table comment (NFTA_TABLE_USERDATA) <see cref="Marker"/>; every change
/// is one transaction bound to the ruleset generation in which ownership was checked.
/// </summary>
public sealed class VxlanGuardTable
{
    public const string DefaultTableName = "dnp_vxlan_guard";
    public const string ChainName = "input";
    public const string Ipv4SetName = "vteps4";
    public const string Ipv6SetName = "vteps6";
    public const int Priority = -200;

    internal const string Ipv4RuleComment = "dnp: vxlan from a non-VTEP ipv4 source";
    internal const string Ipv6RuleComment = "dnp: vxlan from a non-VTEP ipv6 source";
    private const string MarkerPrefix = "dnp vxlan guard v1 owner=";
    private const int GenerationAttempts = 5;

    private readonly NftHandle _handle;
    private readonly string _ownerPrefix;

    /// <param name="handle">A handle in the namespace to guard (the host's, where the VXLAN sockets listen).</param>
    /// <param name="owner">Who we are (a host id): part of the marker, so two instances never take each other's table.</param>
    /// <param name="tableName">The table's name in family inet.</param>
    public VxlanGuardTable(NftHandle handle, string owner, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (owner.Length > 48 || !owner.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"a guard owner has 1..48 characters from [A-Za-z0-9_.-]: '{owner}'", nameof(owner));
        }

        _handle = handle;
        TableName = NftNames.Check(tableName, "table");
        _ownerPrefix = MarkerPrefix + owner + " ";
    }

    public string TableName { get; }

    /// <summary>The table comment for <paramref name="port"/>: it proves the table is ours and records the port it guards.</summary>
    public string Marker(ushort port) => $"{_ownerPrefix}port={port}";

    /// <summary>
    /// Makes the guard exist for <paramref name="port"/> with exactly <paramref name="vteps"/> allowed (IPv4 and IPv6
    /// mixed). A table of ours with the same port and both rules keeps its counters and only gets the new sets; anything
    /// else of ours (another port, a rule removed by hand) is rebuilt; all in one transaction, so the port is never
    /// unguarded. Throws <see cref="NftTableNotOursException"/> when the name is taken by a table without our marker.
    /// </summary>
    public void Ensure(ushort port, IEnumerable<IPAddress> vteps)
    {
        if (port == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "the VXLAN port is 1..65535");
        }

        var (v4, v6) = Split(vteps);
        Retry(generation =>
        {
            var existing = Owned(_handle.TableGet(NftFamily.Inet, TableName));
            var tx = new NftTransaction(NftFamily.Inet, generation);
            if (existing is not null && existing.Comment == Marker(port) && HasBothRules())
            {
                ReplaceElements(tx, v4, v6);
                return tx;
            }

            if (existing is not null)
            {
                tx.DeleteTable(TableName, existing.Handle);
            }

            Build(tx, port, v4, v6);
            return tx;
        });
    }

    /// <summary>Atomically replaces the allowed VTEPs (flush + add in one transaction). Throws when the guard is absent or not ours.</summary>
    public void UpdateVteps(IEnumerable<IPAddress> vteps)
    {
        var (v4, v6) = Split(vteps);
        Retry(generation =>
        {
            _ = Owned(_handle.TableGet(NftFamily.Inet, TableName))
                ?? throw new NetlinkException($"update VXLAN guard: table inet {TableName} does not exist (call Ensure first)", (int)Errno.ENOENT, null);
            var tx = new NftTransaction(NftFamily.Inet, generation);
            ReplaceElements(tx, v4, v6);
            return tx;
        });
    }

    /// <summary>The drop counters, or null when the guard is absent. Throws when the table is not ours.</summary>
    public VxlanGuardCounters? ReadDropped()
    {
        if (Owned(_handle.TableGet(NftFamily.Inet, TableName)) is null)
        {
            return null;
        }

        var rules = _handle.RuleList(NftFamily.Inet, TableName, ChainName);
        var v4 = rules.FirstOrDefault(r => r.Comment == Ipv4RuleComment);
        var v6 = rules.FirstOrDefault(r => r.Comment == Ipv6RuleComment);
        return new VxlanGuardCounters(v4?.Packets ?? 0, v4?.Bytes ?? 0, v6?.Packets ?? 0, v6?.Bytes ?? 0);
    }

    /// <summary>
    /// Deletes the guard table if it is ours (by its handle, in the generation where its marker was read): true when
    /// deleted, false when there was none. A table with our name but without our marker is left alone and reported
    /// with <see cref="NftTableNotOursException"/>. Nothing else is touched.
    /// </summary>
    public bool Remove()
    {
        var removed = false;
        Retry(generation =>
        {
            var existing = Owned(_handle.TableGet(NftFamily.Inet, TableName));
            var tx = new NftTransaction(NftFamily.Inet, generation);
            removed = existing is not null;
            if (existing is not null)
            {
                tx.DeleteTable(TableName, existing.Handle);
            }

            return tx;
        });
        return removed;
    }

    /// <summary>Builds table, sets, elements, chain and rules into <paramref name="tx"/> (exposed for golden tests).</summary>
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

    /// <summary>VTEPs split by family, IPv4-mapped IPv6 taken as IPv4, duplicates dropped.</summary>
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

            if (!seen.Add(address))
            {
                continue;
            }

            (address.AddressFamily == AddressFamily.InterNetwork ? v4 : v6).Add(address);
        }

        return (v4, v6);
    }

    /// <summary>Flush both sets and add the new elements (exposed for golden tests).</summary>
    internal void ReplaceElements(NftTransaction tx, IReadOnlyList<IPAddress> v4, IReadOnlyList<IPAddress> v6)
    {
        tx.FlushSet(TableName, Ipv4SetName);
        tx.AddElements(TableName, Ipv4SetName, null, v4);
        tx.FlushSet(TableName, Ipv6SetName);
        tx.AddElements(TableName, Ipv6SetName, null, v6);
    }

    private bool HasBothRules()
    {
        var comments = _handle.RuleList(NftFamily.Inet, TableName, ChainName).Select(r => r.Comment).ToList();
        return comments.Count == 2 && comments.Contains(Ipv4RuleComment) && comments.Contains(Ipv6RuleComment);
    }

    /// <summary>The table when it is ours, null when absent; throws when it exists without our marker.</summary>
    private NftTable? Owned(NftTable? table)
    {
        if (table is null)
        {
            return null;
        }

        if (table.Comment is null || !table.Comment.StartsWith(_ownerPrefix, StringComparison.Ordinal))
        {
            throw new NftTableNotOursException(
                $"table inet {TableName} exists but is not ours (comment '{table.Comment}', expected '{_ownerPrefix}…'); it is left untouched");
        }

        return table;
    }

    /// <summary>Reads the generation, plans against it and commits; the plan is redone when the ruleset changed in between (ERESTART).</summary>
    private void Retry(Func<uint, NftTransaction> plan)
    {
        for (var attempt = 1; ; attempt++)
        {
            var generation = _handle.GenerationGet();
            var tx = plan(generation);
            try
            {
                _handle.Commit(tx);
                return;
            }
            catch (NetlinkException e) when (e.Errno == (int)Errno.ERESTART && attempt < GenerationAttempts)
            {
                // another writer committed between our read and our transaction: read again
            }
        }
    }
}
