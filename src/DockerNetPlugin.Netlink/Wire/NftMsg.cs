namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/netfilter/nf_tables.h enum nf_tables_msg_types (the low byte of nlmsg_type).</summary>
internal static class NftMsg
{
    internal const ushort NFT_MSG_NEWTABLE = 0;
    internal const ushort NFT_MSG_GETTABLE = 1;
    internal const ushort NFT_MSG_DELTABLE = 2;
    internal const ushort NFT_MSG_NEWCHAIN = 3;
    internal const ushort NFT_MSG_NEWRULE = 6;
    internal const ushort NFT_MSG_GETRULE = 7;
    internal const ushort NFT_MSG_NEWSET = 9;
    internal const ushort NFT_MSG_NEWSETELEM = 12;
    internal const ushort NFT_MSG_DELSETELEM = 14;
    internal const ushort NFT_MSG_NEWGEN = 15;
    internal const ushort NFT_MSG_GETGEN = 16;

    internal static string Name(ushort message) => message switch
    {
        NFT_MSG_NEWTABLE => nameof(NFT_MSG_NEWTABLE),
        NFT_MSG_GETTABLE => nameof(NFT_MSG_GETTABLE),
        NFT_MSG_DELTABLE => nameof(NFT_MSG_DELTABLE),
        NFT_MSG_NEWCHAIN => nameof(NFT_MSG_NEWCHAIN),
        NFT_MSG_NEWRULE => nameof(NFT_MSG_NEWRULE),
        NFT_MSG_GETRULE => nameof(NFT_MSG_GETRULE),
        NFT_MSG_NEWSET => nameof(NFT_MSG_NEWSET),
        NFT_MSG_NEWSETELEM => nameof(NFT_MSG_NEWSETELEM),
        NFT_MSG_DELSETELEM => nameof(NFT_MSG_DELSETELEM),
        NFT_MSG_NEWGEN => nameof(NFT_MSG_NEWGEN),
        NFT_MSG_GETGEN => nameof(NFT_MSG_GETGEN),
        _ => $"NFT_MSG_{message}",
    };
}
