using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>vxlan forwarding entries: RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH with AF_BRIDGE and NTF_SELF (netlink.md §4.3).</summary>
public sealed partial class RtnlHandle
{
    /// <summary>NOARP|PERMANENT, what `bridge fdb ... permanent` sends.</summary>
    private const ushort FdbState = Nud.NUD_NOARP | Nud.NUD_PERMANENT;

    /// <summary>`bridge fdb add MAC dev X dst VTEP [vni N] [port P] self permanent`; EEXIST if present.</summary>
    public void FdbAdd(FdbEntry entry) => ExecuteFdb(Rtm.RTM_NEWNEIGH, Nlm.Create, entry, "add");

    /// <summary>`bridge fdb replace MAC dev X dst VTEP [vni N] [port P] self permanent`.</summary>
    public void FdbReplace(FdbEntry entry) => ExecuteFdb(Rtm.RTM_NEWNEIGH, Nlm.Replace, entry, "replace");

    /// <summary>`bridge fdb append MAC dev X dst VTEP self permanent`: another remote for the same MAC (flood list: 00:00:00:00:00:00).</summary>
    public void FdbAppend(FdbEntry entry) => ExecuteFdb(Rtm.RTM_NEWNEIGH, Nlm.Append, entry, "append");

    /// <summary>`bridge fdb del MAC dev X [dst VTEP] self`: with a VTEP only that remote goes.</summary>
    public void FdbDelete(FdbEntry entry) => ExecuteFdb(Rtm.RTM_DELNEIGH, Nlm.Modify, entry, "del");

    /// <summary><see cref="FdbReplace"/> for many entries, pipelined; throws one <see cref="NetlinkBatchException"/> for all failures.</summary>
    public void FdbReplaceMany(IReadOnlyList<FdbEntry> entries)
    {
        CheckAll(entries, CheckFdb);
        RunBatch(entries, "RTM_NEWNEIGH fdb replace", (ref NetlinkWriter w, FdbEntry e, uint seq) => WriteFdb(ref w, seq, Rtm.RTM_NEWNEIGH, Nlm.Replace, e), e => DescribeFdb(e, "replace"));
    }

    /// <summary>
    /// <see cref="FdbAppend"/> for many entries, pipelined: one remote each (flood list entries, one per remote VTEP).
    /// Appending a remote the entry already has is a no-op for the kernel.
    /// </summary>
    public void FdbAppendMany(IReadOnlyList<FdbEntry> entries)
    {
        CheckAll(entries, CheckFdb);
        RunBatch(entries, "RTM_NEWNEIGH fdb append", (ref NetlinkWriter w, FdbEntry e, uint seq) => WriteFdb(ref w, seq, Rtm.RTM_NEWNEIGH, Nlm.Append, e), e => DescribeFdb(e, "append"));
    }

    /// <summary><see cref="FdbDelete"/> for many entries, pipelined; throws one <see cref="NetlinkBatchException"/> for all failures.</summary>
    public void FdbDeleteMany(IReadOnlyList<FdbEntry> entries)
    {
        CheckAll(entries, CheckFdb);
        RunBatch(entries, "RTM_DELNEIGH fdb", (ref NetlinkWriter w, FdbEntry e, uint seq) => WriteFdb(ref w, seq, Rtm.RTM_DELNEIGH, Nlm.Modify, e), e => DescribeFdb(e, "del"));
    }

    /// <summary>`bridge fdb show [dev X] self`: the device's own (NTF_SELF) entries, not the bridge's learned ones.</summary>
    public IReadOnlyList<FdbEntry> FdbList(int? linkIndex = null)
    {
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteFdbDump(ref w, 0, linkIndex ?? 0);
        var all = _socket.Dump<FdbEntry>(buffer[..w.Length], "RTM_GETNEIGH fdb dump", ParseFdb);
        return linkIndex is { } i ? all.Where(e => e.LinkIndex == i).ToList() : all;
    }

    internal static void WriteFdb(ref NetlinkWriter w, uint seq, ushort type, ushort flags, FdbEntry entry)
    {
        w.BeginMessage(type, flags, seq);
        w.WriteNdMsg(Af.AF_BRIDGE, entry.LinkIndex, FdbState, entry.Master ? Ntf.NTF_MASTER : Ntf.NTF_SELF);
        w.PutMac(Nda.NDA_LLADDR, entry.Mac);
        if (entry.Vtep is { } vtep)
        {
            w.PutAddress(Nda.NDA_DST, vtep);
        }

        if (entry.Port is { } port)
        {
            w.PutU16BigEndian(Nda.NDA_PORT, port);
        }

        if (entry.Vni is { } vni)
        {
            w.PutU32(Nda.NDA_VNI, vni);
        }

        w.EndMessage();
    }

    internal static void WriteFdbDump(ref NetlinkWriter w, uint seq, int linkIndex)
    {
        w.BeginMessage(Rtm.RTM_GETNEIGH, Nlm.Dump, seq);
        w.WriteNdMsg(Af.AF_BRIDGE, linkIndex, 0, 0);
        w.EndMessage();
    }

    internal static bool ParseFdb(in NetlinkMessage message, out FdbEntry entry)
    {
        entry = null!;
        var payload = message.Payload;
        if (message.Type != Rtm.RTM_NEWNEIGH || payload.Length < Nda.NdMsgSize || payload[0] != Af.AF_BRIDGE || (payload[10] & Ntf.NTF_SELF) == 0)
        {
            return false;
        }

        PhysicalAddress? mac = null;
        System.Net.IPAddress? vtep = null;
        uint? vni = null;
        ushort? port = null;
        var attributes = message.Attributes(Nda.NdMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            switch (type)
            {
                case Nda.NDA_LLADDR when value.Length == 6: mac = AttributeReader.Mac(value); break;
                case Nda.NDA_DST: vtep = AttributeReader.Address(value); break;
                case Nda.NDA_VNI: vni = AttributeReader.U32(value); break;
                case Nda.NDA_PORT: port = AttributeReader.U16BigEndian(value); break;
                default: break;
            }
        }

        if (mac is null)
        {
            return false;
        }

        entry = new FdbEntry(AttributeReader.S32(payload[4..]), mac, vtep, vni, port);
        return true;
    }

    private static string DescribeFdb(FdbEntry e, string verb)
    {
        var type = verb == "del" ? "RTM_DELNEIGH fdb" : "RTM_NEWNEIGH fdb " + verb;
        var dst = e.Vtep is null ? string.Empty : $" dst {e.Vtep}";
        return $"{type} {MacText.Format(e.Mac)}{dst} on ifindex {e.LinkIndex}";
    }

    private static void CheckFdb(FdbEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(e.Mac);
        CheckIndex(e.LinkIndex, nameof(e.LinkIndex));
        if (e.Vtep is { } vtep)
        {
            CheckPrefix(vtep, 0, nameof(e.Vtep));
        }

        if (e.Vni is >= 1u << 24)
        {
            throw new ArgumentOutOfRangeException(nameof(e), e.Vni, "a VNI has 24 bits (0..16777215)");
        }
    }

    private void ExecuteFdb(ushort type, ushort flags, FdbEntry entry, string verb)
    {
        CheckFdb(entry);
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteFdb(ref w, 0, type, flags, entry);
        _socket.Execute(buffer[..w.Length], DescribeFdb(entry, verb));
    }
}
