using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>`cmp OP reg 1 DATA`: compares the register with raw bytes (network order for ports and addresses).</summary>
internal sealed record NftCmp(uint Op, byte[] Data) : NftExpression
{
    internal override string Name => "cmp";

    private protected override void WriteData(ref NetlinkWriter w)
    {
        w.PutU32BigEndian(Nfta.NFTA_CMP_SREG, Nft.NFT_REG_1);
        w.PutU32BigEndian(Nfta.NFTA_CMP_OP, Op);
        var data = w.BeginNested(Nfta.NFTA_CMP_DATA | Nlm.NLA_F_NESTED);
        w.PutBytes(Nfta.NFTA_DATA_VALUE, Data);
        w.EndNested(data);
    }
}
