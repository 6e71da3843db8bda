namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/netfilter/nfnetlink.h: the nfgenmsg header, subsystems and batch framing.</summary>
internal static class Nfnl
{
    /// <summary>sizeof(struct nfgenmsg): u8 family, u8 version, be16 res_id.</summary>
    internal const int NfGenMsgSize = 4;

    internal const byte NFNETLINK_V0 = 0;
    internal const ushort NFNL_SUBSYS_NFTABLES = 10;

    /// <summary>NLMSG_MIN_TYPE: opens a transaction; res_id names the subsystem.</summary>
    internal const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    internal const ushort NFNL_MSG_BATCH_END = 0x11;

    /// <summary>Batch-begin attribute: the ruleset generation this batch was computed against (be32).</summary>
    internal const ushort NFNL_BATCH_GENID = 1;

    /// <summary>The nlmsg_type of an nf_tables message: subsystem in the high byte.</summary>
    internal static ushort Type(ushort message) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | message);
}
