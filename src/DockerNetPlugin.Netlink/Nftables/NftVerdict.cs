using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>`immediate reg 0 CODE`: a verdict (NF_DROP, NF_ACCEPT).</summary>
internal sealed record NftVerdict(int Code) : NftExpression
{
    internal override string Name => "immediate";

    private protected override void WriteData(ref NetlinkWriter w)
    {
        w.PutU32BigEndian(Nfta.NFTA_IMMEDIATE_DREG, Nft.NFT_REG_VERDICT);
        var data = w.BeginNested(Nfta.NFTA_IMMEDIATE_DATA | Nlm.NLA_F_NESTED);
        var verdict = w.BeginNested(Nfta.NFTA_DATA_VERDICT | Nlm.NLA_F_NESTED);
        w.PutU32BigEndian(Nfta.NFTA_VERDICT_CODE, unchecked((uint)Code));
        w.EndNested(verdict);
        w.EndNested(data);
    }
}
