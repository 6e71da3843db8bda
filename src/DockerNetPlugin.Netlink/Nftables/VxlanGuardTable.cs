using System.Net;
using DockerNetPlugin.Interop;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// The kernel half of the VXLAN guard: a table of our own (family inet) that drops UDP to the VXLAN port unless the
/// source is an allowed VTEP, and counts what it drops. In `nft` terms:
/// <code>
/// table inet NAME {
///   comment "dnp vxlan guard v1 owner=OWNER port=PORT"
///   set vteps4 { type ipv4_addr; }   set vteps6 { type ipv6_addr; }
///   chain input {
///     type filter hook input priority -200; policy accept;
///     udp dport PORT ip saddr != @vteps4 counter drop comment "dnp: vxlan from a non-VTEP ipv4 source"
///     udp dport PORT ip6 saddr != @vteps6 counter drop comment "dnp: vxlan from a non-VTEP ipv6 source"
///   }
/// }
/// </code>
/// Hook input: only datagrams delivered to this namespace's own sockets (the VXLAN socket) are judged; traffic the
/// host forwards (to containers, to other hosts) is never touched. Priority -200: ahead of every filter-type chain
/// (Docker's iptables-nft and firewalld use 0, mangle -150), so the counter sees every stranger even when a later
/// table would drop it too. A drop in input also comes before conntrack confirms the flow (confirm runs last in input),
/// so a spray leaves no conntrack entries. Other tables are never read or changed: a drop in any table is final and an
/// accept is not, so the guard composes with Docker's rules. The table comment is the ownership marker; every change is
/// one transaction bound to the ruleset generation in which ownership was checked (ERESTART → read again).
/// The table is deliberately not NFT_TABLE_F_OWNER (freed with our socket): the port must stay guarded while the
/// plugin restarts or after it crashes, so the guard lives until <see cref="Remove"/>.
/// </summary>
public sealed class VxlanGuardTable
{
    public const string DefaultTableName = "dnp_vxlan_guard";
    public const string ChainName = VxlanGuardPlan.ChainName;
    public const string Ipv4SetName = VxlanGuardPlan.Ipv4SetName;
    public const string Ipv6SetName = VxlanGuardPlan.Ipv6SetName;
    public const int Priority = VxlanGuardPlan.Priority;
    private const int GenerationAttempts = 5;

    private readonly NftHandle _handle;
    private readonly VxlanGuardPlan _plan;

    /// <param name="handle">A handle in the namespace to guard (the host's, where the VXLAN sockets listen).</param>
    /// <param name="owner">Who we are (e.g. the host id): part of the marker, so two instances never take each other's table.</param>
    /// <param name="tableName">The table's name in family inet.</param>
    public VxlanGuardTable(NftHandle handle, string owner, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _plan = new VxlanGuardPlan(owner, tableName);
        _handle = handle;
    }

    public string TableName => _plan.TableName;

    /// <summary>The table comment this guard writes for <paramref name="port"/>.</summary>
    public string Marker(ushort port) => _plan.Marker(port);

    /// <summary>
    /// Makes the guard exist for <paramref name="port"/> with exactly <paramref name="vteps"/> allowed (IPv4 and IPv6
    /// mixed). A table of ours for the same port with both rules keeps its counters and only gets the new sets; any other
    /// table of ours (another port, a rule removed by hand) is rebuilt. One transaction either way, so the port is never
    /// unguarded. Throws <see cref="NftTableNotOursException"/> when the name is taken by a table without our marker.
    /// </summary>
    public void Ensure(ushort port, IEnumerable<IPAddress> vteps)
    {
        if (port == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "the VXLAN port is 1..65535");
        }

        var (v4, v6) = VxlanGuardPlan.Split(vteps);
        Commit(tx =>
        {
            var existing = Owned();
            if (existing is not null && existing.Comment == _plan.Marker(port) && ChainRules() is { } rules && VxlanGuardPlan.IsComplete(rules))
            {
                _plan.ReplaceElements(tx, v4, v6);
                return;
            }

            if (existing is not null)
            {
                tx.DeleteTable(TableName, existing.Handle);
            }

            _plan.Build(tx, port, v4, v6);
        });
    }

    /// <summary>Atomically replaces the allowed VTEPs (flush + add in one transaction). Throws ENOENT when the guard is absent.</summary>
    public void UpdateVteps(IEnumerable<IPAddress> vteps)
    {
        var (v4, v6) = VxlanGuardPlan.Split(vteps);
        Commit(tx =>
        {
            _ = Owned() ?? throw new NetlinkException($"update VXLAN guard: table inet {TableName} does not exist (call Ensure first)", (int)Errno.ENOENT, null);
            _plan.ReplaceElements(tx, v4, v6);
        });
    }

    /// <summary>What the guard dropped since its table was built, or null when the guard is absent.</summary>
    public VxlanGuardCounters? ReadDropped() =>
        Owned() is null ? null : VxlanGuardPlan.Counters(_handle.RuleList(NftFamily.Inet, TableName, ChainName));

    /// <summary>
    /// Deletes the guard table if it is ours, by its handle and in the generation where its marker was read: true when
    /// deleted, false when there was none. A table with our name but without our marker is left alone and reported with
    /// <see cref="NftTableNotOursException"/>. Nothing else is touched.
    /// </summary>
    public bool Remove()
    {
        var removed = false;
        Commit(tx =>
        {
            var existing = Owned();
            removed = existing is not null;
            if (existing is not null)
            {
                tx.DeleteTable(TableName, existing.Handle);
            }
        });
        return removed;
    }

    /// <summary>The rules of our chain, or null when the chain is gone (deleted by hand: Ensure rebuilds).</summary>
    private IReadOnlyList<NftRuleInfo>? ChainRules()
    {
        try
        {
            return _handle.RuleList(NftFamily.Inet, TableName, ChainName);
        }
        catch (NetlinkException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The table when it is ours, null when absent; throws when it exists without our marker.</summary>
    private NftTable? Owned()
    {
        var table = _handle.TableGet(NftFamily.Inet, TableName);
        return table is null || _plan.IsOurs(table)
            ? table
            : throw new NftTableNotOursException(
                $"table inet {TableName} exists but is not ours (comment '{table.Comment}', expected '{_plan.Marker(0)[..^1]}…'); it is left untouched");
    }

    /// <summary>Reads the generation, plans against it and commits; the plan is redone when the ruleset changed in between (ERESTART).</summary>
    private void Commit(Action<NftTransaction> plan)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tx = new NftTransaction(NftFamily.Inet, _handle.GenerationGet());
            plan(tx);
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
