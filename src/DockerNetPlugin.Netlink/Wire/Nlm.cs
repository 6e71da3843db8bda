namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/netlink.h: message types, header flags, nlmsgerr attributes.</summary>
internal static class Nlm
{
    internal const int NLMSG_HDRLEN = 16;
    internal const int NLMSG_ALIGNTO = 4;

    internal const ushort NLMSG_NOOP = 1;
    internal const ushort NLMSG_ERROR = 2;
    internal const ushort NLMSG_DONE = 3;
    internal const ushort NLMSG_OVERRUN = 4;

    internal const ushort NLM_F_REQUEST = 0x001;
    internal const ushort NLM_F_MULTI = 0x002;
    internal const ushort NLM_F_ACK = 0x004;
    internal const ushort NLM_F_DUMP_INTR = 0x010;
    internal const ushort NLM_F_DUMP = 0x300;
    internal const ushort NLM_F_REPLACE = 0x100;
    internal const ushort NLM_F_EXCL = 0x200;
    internal const ushort NLM_F_CREATE = 0x400;
    internal const ushort NLM_F_APPEND = 0x800;
    internal const ushort NLM_F_CAPPED = 0x100;
    internal const ushort NLM_F_ACK_TLVS = 0x200;

    /// <summary>`ip X add`: REQUEST|ACK|EXCL|CREATE (0x605).</summary>
    internal const ushort Create = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;

    /// <summary>`ip X replace`: REQUEST|ACK|REPLACE|CREATE (0x505).</summary>
    internal const ushort Replace = NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE | NLM_F_CREATE;

    /// <summary>`bridge fdb append`: REQUEST|ACK|CREATE|APPEND (0xc05).</summary>
    internal const ushort Append = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND;

    /// <summary>set/del: REQUEST|ACK (0x005).</summary>
    internal const ushort Modify = NLM_F_REQUEST | NLM_F_ACK;

    /// <summary>dump: REQUEST|DUMP (0x301).</summary>
    internal const ushort Dump = NLM_F_REQUEST | NLM_F_DUMP;

    /// <summary>nla_type bit of an attribute whose payload is more attributes (nf_tables wants it).</summary>
    internal const ushort NLA_F_NESTED = 0x8000;

    internal const ushort NLMSGERR_ATTR_MSG = 1;
    internal const ushort NLMSGERR_ATTR_OFFS = 2;

    internal const int RTNLGRP_NEIGH = 3;

    internal static int Align(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}
