using System.Runtime.CompilerServices;
using DockerNetPlugin.Interop;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// nf_tables over one NETLINK_NETFILTER socket that belongs to one network namespace (the one it was opened in),
/// like <see cref="RtnlHandle"/>. Reads are single requests or dumps; changes are transactions the kernel applies
/// atomically. Thread-safe: requests on one handle are serialised. Each verb's summary names its `nft` equivalent.
/// </summary>
public sealed class NftHandle : IDisposable
{
    private const int RequestBufferSize = 512;
    private const int BatchFrameSize = 64;

    private readonly NetlinkSocket _socket;

    private NftHandle(NetlinkSocket socket) => _socket = socket;

    /// <summary>A handle in the process's own (host) namespace, whichever thread calls.</summary>
    public static NftHandle OpenHost() => new(NetNs.RunInProcessNamespace(Open));

    /// <summary>A handle whose socket is opened inside <paramref name="ns"/> on a dedicated thread; usable from any thread afterwards.</summary>
    public static NftHandle OpenIn(NetNs ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new(ns.Run(Open));
    }

    /// <summary>`nft list table FAMILY NAME` (its header): null when there is no such table.</summary>
    public NftTable? TableGet(NftFamily family, string name)
    {
        NftNames.Check(name, "table");
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteTableGet(ref w, 0, family, name);
        return _socket.Get<NftTable>(buffer[..w.Length], $"NFT_MSG_GETTABLE {NftNames.Family(family)} {name}", ParseTable);
    }

    /// <summary>The ruleset generation (NFT_MSG_GETGEN): it changes with every committed transaction.</summary>
    public uint GenerationGet()
    {
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteGenerationGet(ref w, 0);
        var generation = _socket.Get<StrongBox<uint>>(buffer[..w.Length], "NFT_MSG_GETGEN", ParseGeneration)
            ?? throw new NetlinkException("NFT_MSG_GETGEN (no reply)", (int)Errno.EIO, null);
        return generation.Value;
    }

    /// <summary>`nft -a list chain FAMILY TABLE CHAIN`: each rule's handle, comment and counter values.</summary>
    public IReadOnlyList<NftRuleInfo> RuleList(NftFamily family, string table, string chain)
    {
        NftNames.Check(table, "table");
        NftNames.Check(chain, "chain");
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteRuleDump(ref w, 0, family, table, chain);
        return _socket.Dump<NftRuleInfo>(buffer[..w.Length], $"NFT_MSG_GETRULE {NftNames.Family(family)} {table} {chain}", (in NetlinkMessage m, out NftRuleInfo r) => ParseRule(m, table, chain, out r));
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>
    /// Applies every message of <paramref name="transaction"/> in one batch: all or nothing. Throws the kernel's
    /// error for the first message that failed (ERESTART when the ruleset changed since the transaction's generation).
    /// </summary>
    internal void Commit(NftTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var steps = transaction.Steps;
        if (steps.Count == 0)
        {
            return;
        }

        var count = steps.Count + 2;
        var size = (2 * BatchFrameSize) + steps.Sum(s => s.MaxSize);
        var failures = _socket.ExecuteTransaction(
            count,
            size,
            (ref NetlinkWriter w, int index, uint seq) =>
            {
                if (index == 0)
                {
                    NftTransaction.WriteBatchBegin(ref w, seq, transaction.Generation);
                }
                else if (index == count - 1)
                {
                    NftTransaction.WriteBatchEnd(ref w, seq);
                }
                else
                {
                    steps[index - 1].Write(ref w, seq);
                }
            },
            index => index == 0 || index == count - 1 ? $"nf_tables transaction ({steps.Count} messages)" : steps[index - 1].Description);
        if (failures.Count > 0)
        {
            var (_, first) = failures[0];
            var others = failures.Count > 1 ? $"; {failures.Count - 1} more message(s) failed" : string.Empty;
            throw new NetlinkException($"{first.Operation} (transaction of {steps.Count} messages aborted, nothing applied{others})", first.Errno, first.KernelMessage);
        }
    }

    internal static void WriteTableGet(ref NetlinkWriter w, uint seq, NftFamily family, string name)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_GETTABLE), Nlm.NLM_F_REQUEST, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_TABLE_NAME, name);
        w.EndMessage();
    }

    internal static void WriteGenerationGet(ref NetlinkWriter w, uint seq)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_GETGEN), Nlm.NLM_F_REQUEST, seq);
        w.WriteNfGenMsg(Nft.NFPROTO_UNSPEC);
        w.EndMessage();
    }

    internal static void WriteRuleDump(ref NetlinkWriter w, uint seq, NftFamily family, string table, string chain)
    {
        w.BeginMessage(Nfnl.Type(NftMsg.NFT_MSG_GETRULE), Nlm.Dump, seq);
        w.WriteNfGenMsg((byte)family);
        w.PutString(Nfta.NFTA_RULE_TABLE, table);
        w.PutString(Nfta.NFTA_RULE_CHAIN, chain);
        w.EndMessage();
    }

    internal static bool ParseTable(in NetlinkMessage message, out NftTable table)
    {
        table = null!;
        if (message.Type != Nfnl.Type(NftMsg.NFT_MSG_NEWTABLE) || message.Payload.Length < Nfnl.NfGenMsgSize)
        {
            return false;
        }

        string? name = null;
        string? comment = null;
        ulong handle = 0;
        var attributes = message.Attributes(Nfnl.NfGenMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            switch (type)
            {
                case Nfta.NFTA_TABLE_NAME: name = AttributeReader.String(value); break;
                case Nfta.NFTA_TABLE_HANDLE when value.Length == 8: handle = AttributeReader.U64BigEndian(value); break;
                case Nfta.NFTA_TABLE_USERDATA: comment = NftUserData.ReadComment(value); break;
                default: break;
            }
        }

        if (name is null)
        {
            return false;
        }

        table = new NftTable((NftFamily)message.Payload[0], name, handle, comment);
        return true;
    }

    internal static bool ParseRule(in NetlinkMessage message, string table, string chain, out NftRuleInfo rule)
    {
        rule = null!;
        if (message.Type != Nfnl.Type(NftMsg.NFT_MSG_NEWRULE) || message.Payload.Length < Nfnl.NfGenMsgSize)
        {
            return false;
        }

        string? ruleTable = null, ruleChain = null, comment = null;
        ulong handle = 0;
        ulong? packets = null, bytes = null;
        var attributes = message.Attributes(Nfnl.NfGenMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            switch (type)
            {
                case Nfta.NFTA_RULE_TABLE: ruleTable = AttributeReader.String(value); break;
                case Nfta.NFTA_RULE_CHAIN: ruleChain = AttributeReader.String(value); break;
                case Nfta.NFTA_RULE_HANDLE when value.Length == 8: handle = AttributeReader.U64BigEndian(value); break;
                case Nfta.NFTA_RULE_USERDATA: comment = NftUserData.ReadComment(value); break;
                case Nfta.NFTA_RULE_EXPRESSIONS when packets is null: ReadCounter(value, out packets, out bytes); break;
                default: break;
            }
        }

        if (ruleTable != table || ruleChain != chain)
        {
            return false; // the kernel filters by table and chain; this keeps an old kernel's full dump out
        }

        rule = new NftRuleInfo(handle, comment, packets, bytes);
        return true;
    }

    private static NetlinkSocket Open() => NetlinkSocket.Open(protocol: Libc.NETLINK_NETFILTER);

    private static bool ParseGeneration(in NetlinkMessage message, out StrongBox<uint> generation)
    {
        generation = null!;
        if (message.Type != Nfnl.Type(NftMsg.NFT_MSG_NEWGEN))
        {
            return false;
        }

        var attributes = message.Attributes(Nfnl.NfGenMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            if (type == Nfta.NFTA_GEN_ID && value.Length == 4)
            {
                generation = new StrongBox<uint>(AttributeReader.U32BigEndian(value));
                return true;
            }
        }

        return false;
    }

    /// <summary>The first "counter" expression's NFTA_COUNTER_PACKETS/BYTES in an NFTA_RULE_EXPRESSIONS list.</summary>
    private static void ReadCounter(ReadOnlySpan<byte> expressions, out ulong? packets, out ulong? bytes)
    {
        packets = null;
        bytes = null;
        var list = new AttributeReader(expressions);
        while (list.Next(out var elementType, out var element))
        {
            if (elementType != Nfta.NFTA_LIST_ELEM)
            {
                continue;
            }

            string? name = null;
            var data = ReadOnlySpan<byte>.Empty;
            var fields = new AttributeReader(element);
            while (fields.Next(out var type, out var value))
            {
                if (type == Nfta.NFTA_EXPR_NAME)
                {
                    name = AttributeReader.String(value);
                }
                else if (type == Nfta.NFTA_EXPR_DATA)
                {
                    data = value;
                }
            }

            if (name != "counter")
            {
                continue;
            }

            var counter = new AttributeReader(data);
            while (counter.Next(out var type, out var value))
            {
                if (type == Nfta.NFTA_COUNTER_PACKETS && value.Length == 8)
                {
                    packets = AttributeReader.U64BigEndian(value);
                }
                else if (type == Nfta.NFTA_COUNTER_BYTES && value.Length == 8)
                {
                    bytes = AttributeReader.U64BigEndian(value);
                }
            }

            return;
        }
    }
}
