using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>`payload load LENb @ BASE header + OFFSET => reg 1`.</summary>
internal sealed record NftPayload(uint Base, uint Offset, uint Length) : NftExpression
{
    internal override string Name => "payload";

    private protected override void WriteData(ref NetlinkWriter w)
    {
        w.PutU32BigEndian(Nfta.NFTA_PAYLOAD_DREG, Nft.NFT_REG_1);
        w.PutU32BigEndian(Nfta.NFTA_PAYLOAD_BASE, Base);
        w.PutU32BigEndian(Nfta.NFTA_PAYLOAD_OFFSET, Offset);
        w.PutU32BigEndian(Nfta.NFTA_PAYLOAD_LEN, Length);
    }
}
