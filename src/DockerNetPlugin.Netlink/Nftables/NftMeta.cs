using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>`meta load KEY => reg 1` (e.g. NFT_META_L4PROTO, NFT_META_NFPROTO).</summary>
internal sealed record NftMeta(uint Key) : NftExpression
{
    internal override string Name => "meta";

    private protected override void WriteData(ref NetlinkWriter w)
    {
        w.PutU32BigEndian(Nfta.NFTA_META_KEY, Key);
        w.PutU32BigEndian(Nfta.NFTA_META_DREG, Nft.NFT_REG_1);
    }
}
