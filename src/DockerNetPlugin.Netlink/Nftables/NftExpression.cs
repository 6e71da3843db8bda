using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// One expression of a rule: NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA { ... } }. Loads and compares use
/// register 1 (NFT_REG_1, 16 bytes, enough for an IPv6 address), as nft does for a single match.
/// </summary>
internal abstract record NftExpression
{
    /// <summary>The kernel's expression name ("meta", "cmp", ...).</summary>
    internal abstract string Name { get; }

    internal void Write(ref NetlinkWriter w)
    {
        var element = w.BeginNested(Nfta.NFTA_LIST_ELEM | Nlm.NLA_F_NESTED);
        w.PutString(Nfta.NFTA_EXPR_NAME, Name);
        var data = w.BeginNested(Nfta.NFTA_EXPR_DATA | Nlm.NLA_F_NESTED);
        WriteData(ref w);
        w.EndNested(data);
        w.EndNested(element);
    }

    /// <summary>The NFTA_EXPR_DATA attributes.</summary>
    private protected abstract void WriteData(ref NetlinkWriter w);
}
