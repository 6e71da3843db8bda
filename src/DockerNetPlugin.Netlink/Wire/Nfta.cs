namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/netfilter/nf_tables.h attribute numbers (NFTA_*). Integers in these attributes are big-endian.</summary>
internal static class Nfta
{
    internal const ushort NFTA_TABLE_NAME = 1;
    internal const ushort NFTA_TABLE_FLAGS = 2;
    internal const ushort NFTA_TABLE_HANDLE = 4;
    internal const ushort NFTA_TABLE_USERDATA = 6;

    internal const ushort NFTA_CHAIN_TABLE = 1;
    internal const ushort NFTA_CHAIN_NAME = 3;
    internal const ushort NFTA_CHAIN_HOOK = 4;
    internal const ushort NFTA_CHAIN_POLICY = 5;
    internal const ushort NFTA_CHAIN_TYPE = 7;

    internal const ushort NFTA_HOOK_HOOKNUM = 1;
    internal const ushort NFTA_HOOK_PRIORITY = 2;

    internal const ushort NFTA_SET_TABLE = 1;
    internal const ushort NFTA_SET_NAME = 2;
    internal const ushort NFTA_SET_FLAGS = 3;
    internal const ushort NFTA_SET_KEY_TYPE = 4;
    internal const ushort NFTA_SET_KEY_LEN = 5;
    internal const ushort NFTA_SET_ID = 10;
    internal const ushort NFTA_SET_USERDATA = 13;

    internal const ushort NFTA_SET_ELEM_LIST_TABLE = 1;
    internal const ushort NFTA_SET_ELEM_LIST_SET = 2;
    internal const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    internal const ushort NFTA_SET_ELEM_LIST_SET_ID = 4;
    internal const ushort NFTA_SET_ELEM_KEY = 1;

    internal const ushort NFTA_LIST_ELEM = 1;

    internal const ushort NFTA_DATA_VALUE = 1;
    internal const ushort NFTA_DATA_VERDICT = 2;
    internal const ushort NFTA_VERDICT_CODE = 1;

    internal const ushort NFTA_RULE_TABLE = 1;
    internal const ushort NFTA_RULE_CHAIN = 2;
    internal const ushort NFTA_RULE_HANDLE = 3;
    internal const ushort NFTA_RULE_EXPRESSIONS = 4;
    internal const ushort NFTA_RULE_USERDATA = 7;

    internal const ushort NFTA_EXPR_NAME = 1;
    internal const ushort NFTA_EXPR_DATA = 2;

    internal const ushort NFTA_META_DREG = 1;
    internal const ushort NFTA_META_KEY = 2;

    internal const ushort NFTA_CMP_SREG = 1;
    internal const ushort NFTA_CMP_OP = 2;
    internal const ushort NFTA_CMP_DATA = 3;

    internal const ushort NFTA_PAYLOAD_DREG = 1;
    internal const ushort NFTA_PAYLOAD_BASE = 2;
    internal const ushort NFTA_PAYLOAD_OFFSET = 3;
    internal const ushort NFTA_PAYLOAD_LEN = 4;

    internal const ushort NFTA_LOOKUP_SET = 1;
    internal const ushort NFTA_LOOKUP_SREG = 2;
    internal const ushort NFTA_LOOKUP_SET_ID = 4;
    internal const ushort NFTA_LOOKUP_FLAGS = 5;

    internal const ushort NFTA_COUNTER_BYTES = 1;
    internal const ushort NFTA_COUNTER_PACKETS = 2;

    internal const ushort NFTA_IMMEDIATE_DREG = 1;
    internal const ushort NFTA_IMMEDIATE_DATA = 2;

    internal const ushort NFTA_GEN_ID = 1;
}
