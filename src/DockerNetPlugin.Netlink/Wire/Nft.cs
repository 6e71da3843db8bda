namespace DockerNetPlugin.Netlink.Wire;

/// <summary>
/// linux/netfilter/nf_tables.h and netfilter.h enum values used by the guard (NFT_*, NF_*, NFPROTO_*),
/// plus libnftnl's user-data TLV numbers, which `nft list` reads back as comments.
/// </summary>
internal static class Nft
{
    internal const uint NFT_REG_VERDICT = 0;
    internal const uint NFT_REG_1 = 1;

    internal const uint NFT_CMP_EQ = 0;
    internal const uint NFT_CMP_NEQ = 1;

    internal const uint NFT_LOOKUP_F_INV = 1;

    internal const uint NFT_PAYLOAD_LL_HEADER = 0;
    internal const uint NFT_PAYLOAD_NETWORK_HEADER = 1;
    internal const uint NFT_PAYLOAD_TRANSPORT_HEADER = 2;

    internal const uint NFT_META_NFPROTO = 15;
    internal const uint NFT_META_L4PROTO = 16;

    /// <summary>Set key data types as nft numbers them (datatype.h TYPE_IPADDR / TYPE_IP6ADDR).</summary>
    internal const uint NFT_DATATYPE_IPADDR = 7;
    internal const uint NFT_DATATYPE_IP6ADDR = 8;

    internal const int NF_DROP = 0;
    internal const int NF_ACCEPT = 1;

    internal const uint NF_INET_PRE_ROUTING = 0;
    internal const uint NF_INET_LOCAL_IN = 1;

    internal const byte NFPROTO_UNSPEC = 0;
    internal const byte NFPROTO_INET = 1;
    internal const byte NFPROTO_IPV4 = 2;
    internal const byte NFPROTO_IPV6 = 10;

    /// <summary>libnftnl udata: NFTNL_UDATA_TABLE_COMMENT / NFTNL_UDATA_RULE_COMMENT (a NUL-terminated string TLV).</summary>
    internal const byte NFTNL_UDATA_COMMENT = 0;

    /// <summary>libnftnl udata: NFTNL_UDATA_SET_KEYBYTEORDER (u32 host order; 2 = big endian).</summary>
    internal const byte NFTNL_UDATA_SET_KEYBYTEORDER = 0;
    internal const uint NFT_BYTEORDER_BIG_ENDIAN = 2;

    internal const byte IPPROTO_UDP = 17;
}
