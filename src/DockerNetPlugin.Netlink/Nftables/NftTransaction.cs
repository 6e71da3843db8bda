using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// The messages of one nf_tables transaction, in order, for one family. <see cref="NftHandle.Commit"/> frames them
/// with NFNL_MSG_BATCH_BEGIN/END in one datagram: the kernel applies all of them or none. Each message asks for an ACK,
/// so a failure names the message that caused it.
/// </summary>
internal sealed class NftTransaction
{
    /// <summary>Set elements per NEWSETELEM message: NFTA_SET_ELEM_LIST_ELEMENTS has a 16-bit length (1024 IPv6 keys take 28 KiB).</summary>
    internal const int ElementsPerMessage = 1024;

    /// <summary>Upper bound of a message without elements (names are at most <see cref="NftNames.MaxLength"/> bytes).</summary>
    private const int FixedMessageSize = 1024;

    private const ushort NewFlags = Nlm.NLM_F_REQUEST | Nlm.NLM_F_ACK | Nlm.NLM_F_CREATE;
    private const ushort DeleteFlags = Nlm.NLM_F_REQUEST | Nlm.NLM_F_ACK;

    private readonly List<Step> _steps = [];
    private uint _nextSetId;

    internal NftTransaction(NftFamily family, uint? generation = null)
    {
        Family = family;
        Generation = generation;
    }

    internal delegate void StepWriter(ref NetlinkWriter writer, uint seq);

    internal NftFamily Family { get; }

    /// <summary>The ruleset generation this transaction was computed against; the kernel refuses it (ERESTART) if the ruleset changed since.</summary>
    internal uint? Generation { get; }

    internal int Count => _steps.Count;

    internal IReadOnlyList<Step> Steps => _steps;

    /// <summary>`add table FAMILY NAME { comment "COMMENT" }` (no error if it exists; its comment is then left as it was).</summary>
    internal void AddTable(string name, string? comment) =>
        Add($"add table {Describe(name)}", FixedMessageSize, (ref NetlinkWriter w, uint seq) => WriteNewTable(ref w, seq, Family, name, comment));

    /// <summary>`delete table FAMILY handle H`: exactly the table that was read, not whatever now has its name.</summary>
    internal void DeleteTable(string name, ulong handle) =>
        Add($"delete table {Describe(name)} handle {handle}", FixedMessageSize, (ref NetlinkWriter w, uint seq) => WriteDeleteTable(ref w, seq, Family, handle));

    /// <summary>`add chain FAMILY TABLE CHAIN { type filter hook HOOK priority P; policy accept; }`.</summary>
    internal void AddBaseChain(string table, string chain, uint hook, int priority) =>
        Add($"add chain {Describe(table)} {chain}", FixedMessageSize, (ref NetlinkWriter w, uint seq) => WriteNewBaseChain(ref w, seq, Family, table, chain, hook, priority));

    /// <summary>`add set FAMILY TABLE SET { type ipv4_addr|ipv6_addr; }`; returns the set's transaction id for rules and elements.</summary>
    internal uint AddAddressSet(string table, string set, AddressFamily keyFamily)
    {
        var id = ++_nextSetId;
        Add($"add set {Describe(table)} {set}", FixedMessageSize, (ref NetlinkWriter w, uint seq) => WriteNewAddressSet(ref w, seq, Family, table, set, id, keyFamily));
        return id;
    }

    /// <summary>`flush set FAMILY TABLE SET`: NFT_MSG_DELSETELEM without elements removes them all.</summary>
    internal void FlushSet(string table, string set) =>
        Add($"flush set {Describe(table)} {set}", FixedMessageSize, (ref NetlinkWriter w, uint seq) => WriteFlushSet(ref w, seq, Family, table, set));

    /// <summary>`add element FAMILY TABLE SET { A, B, ... }`, one message per <see cref="ElementsPerMessage"/> keys.</summary>
    internal void AddElements(string table, string set, uint? setId, IReadOnlyList<IPAddress> keys)
    {
        for (var start = 0; start < keys.Count; start += ElementsPerMessage)
        {
            var chunk = keys.Skip(start).Take(ElementsPerMessage).ToArray();
            Add(
                $"add element {Describe(table)} {set} ({chunk.Length} from {chunk[0]})",
                FixedMessageSize + (chunk.Length * 32),
                (ref NetlinkWriter w, uint seq) => WriteNewElements(ref w, seq, Family, table, set, setId, chunk));
        }
    }

    /// <summary>`add rule FAMILY TABLE CHAIN EXPRESSIONS comment "COMMENT"`.</summary>
    internal void AddRule(string table, string chain, IReadOnlyList<NftExpression> expressions, string? comment) =>
        Add($"add rule {Describe(table)} {chain} \"{comment}\"", FixedMessageSize * 2, (ref NetlinkWriter w, uint seq) => WriteNewRule(ref w, seq, Family, table, chain, expressions, comment));

    internal static void WriteBatchBegin(ref NetlinkWriter w, uint seq, uint? generation)
    {
        w.BeginMessage(Nfnl.NFNL_MSG_BATCH_BEGIN, Nlm.NLM_F_REQUEST, seq);
        w.WriteNfGenMsg(Nft.NFPROTO_UNSPEC, Nfnl.NFNL_SUBSYS_NFTABLES);
        if (generation is { } g)
        {
            w.PutU32BigEndian(Nfnl.NFNL_BATCH_GENID, g);
        }

        w.EndMessage();
    }

    internal static void WriteBatchEnd(ref NetlinkWriter w, uint seq)
    {
        w.BeginMessage(Nfnl.NFNL_MSG_BATCH_END, Nlm.NLM_F_REQUEST, seq);
        w.WriteNfGenMsg(Nft.NFPROTO_UNSPEC, Nfnl.NFNL_SUBSYS_NFTABLES);
        w.EndMessage();
    }

    internal static void WriteNewTable(ref NetlinkWriter w, uint seq, NftFamily family, string name, string? comment)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_NEWTABLE), NewFlags, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_TABLE_NAME, name);
        w.PutU32BigEndian(Nfta.NFTA_TABLE_FLAGS, 0);
        if (comment is not null)
        {
            w.PutBytes(Nfta.NFTA_TABLE_USERDATA, NftUserData.Comment(comment));
        }

        w.EndMessage();
    }

    internal static void WriteDeleteTable(ref NetlinkWriter w, uint seq, NftFamily family, ulong handle)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_DELTABLE), DeleteFlags, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutU64BigEndian(Nfta.NFTA_TABLE_HANDLE, handle);
        w.EndMessage();
    }

    internal static void WriteNewBaseChain(ref NetlinkWriter w, uint seq, NftFamily family, string table, string chain, uint hook, int priority)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_NEWCHAIN), NewFlags, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_CHAIN_TABLE, table);
        w.PutString(Nfta.NFTA_CHAIN_NAME, chain);
        w.PutString(Nfta.NFTA_CHAIN_TYPE, "filter");
        w.PutU32BigEndian(Nfta.NFTA_CHAIN_POLICY, Nft.NF_ACCEPT);
        var hookAttribute = w.BeginNested(Nfta.NFTA_CHAIN_HOOK | Nlm.NLA_F_NESTED);
        w.PutU32BigEndian(Nfta.NFTA_HOOK_HOOKNUM, hook);
        w.PutU32BigEndian(Nfta.NFTA_HOOK_PRIORITY, unchecked((uint)priority));
        w.EndNested(hookAttribute);
        w.EndMessage();
    }

    internal static void WriteNewAddressSet(ref NetlinkWriter w, uint seq, NftFamily family, string table, string set, uint id, AddressFamily keyFamily)
    {
        var v6 = keyFamily == AddressFamily.InterNetworkV6;
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_NEWSET), NewFlags, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_SET_TABLE, table);
        w.PutString(Nfta.NFTA_SET_NAME, set);
        w.PutU32BigEndian(Nfta.NFTA_SET_FLAGS, 0);
        w.PutU32BigEndian(Nfta.NFTA_SET_KEY_TYPE, v6 ? Nft.NFT_DATATYPE_IP6ADDR : Nft.NFT_DATATYPE_IPADDR);
        w.PutU32BigEndian(Nfta.NFTA_SET_KEY_LEN, v6 ? 16u : 4u);
        w.PutU32BigEndian(Nfta.NFTA_SET_ID, id);
        w.PutBytes(Nfta.NFTA_SET_USERDATA, NftUserData.KeyByteOrderBigEndian);
        w.EndMessage();
    }

    internal static void WriteFlushSet(ref NetlinkWriter w, uint seq, NftFamily family, string table, string set)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_DELSETELEM), DeleteFlags, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_SET_ELEM_LIST_SET, set); // nft's order
        w.PutString(Nfta.NFTA_SET_ELEM_LIST_TABLE, table);
        w.EndMessage();
    }

    internal static void WriteNewElements(ref NetlinkWriter w, uint seq, NftFamily family, string table, string set, uint? setId, IReadOnlyList<IPAddress> keys)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_NEWSETELEM), NewFlags, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_SET_ELEM_LIST_TABLE, table);
        w.PutString(Nfta.NFTA_SET_ELEM_LIST_SET, set);
        if (setId is { } id)
        {
            w.PutU32BigEndian(Nfta.NFTA_SET_ELEM_LIST_SET_ID, id);
        }

        var elements = w.BeginNested(Nfta.NFTA_SET_ELEM_LIST_ELEMENTS | Nlm.NLA_F_NESTED);
        foreach (var key in keys)
        {
            var element = w.BeginNested(Nfta.NFTA_LIST_ELEM | Nlm.NLA_F_NESTED);
            var keyAttribute = w.BeginNested(Nfta.NFTA_SET_ELEM_KEY | Nlm.NLA_F_NESTED);
            w.PutAddress(Nfta.NFTA_DATA_VALUE, key);
            w.EndNested(keyAttribute);
            w.EndNested(element);
        }

        w.EndNested(elements);
        w.EndMessage();
    }

    internal static void WriteNewRule(ref NetlinkWriter w, uint seq, NftFamily family, string table, string chain, IReadOnlyList<NftExpression> expressions, string? comment)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_NEWRULE), (ushort)(NewFlags | Nlm.NLM_F_APPEND), seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_RULE_TABLE, table);
        w.PutString(Nfta.NFTA_RULE_CHAIN, chain);
        var list = w.BeginNested(Nfta.NFTA_RULE_EXPRESSIONS | Nlm.NLA_F_NESTED);
        foreach (var expression in expressions)
        {
            expression.Write(ref w);
        }

        w.EndNested(list);
        if (comment is not null)
        {
            w.PutBytes(Nfta.NFTA_RULE_USERDATA, NftUserData.Comment(comment));
        }

        w.EndMessage();
    }

    private string Describe(string table) => $"{NftNames.Family(Family)} {table}";

    private void Add(string description, int maxSize, StepWriter write) => _steps.Add(new Step(description, maxSize, write));

    /// <summary>One message: what it does (for errors), the most bytes it may take, and its writer.</summary>
    internal sealed record Step(string Description, int MaxSize, StepWriter Write);
}
