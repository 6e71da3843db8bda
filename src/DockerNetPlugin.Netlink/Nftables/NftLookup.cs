using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// `lookup reg 1 set SET` (inverted: the rule goes on when the key is NOT in the set, NFT_LOOKUP_F_INV).
/// <paramref name="SetId"/> names a set created in the same transaction (NFTA_SET_ID), as nft sends it.
/// </summary>
internal sealed record NftLookup(string Set, uint? SetId, bool Inverted) : NftExpression
{
    internal override string Name => "lookup";

    private protected override void WriteData(ref NetlinkWriter w)
    {
        w.PutU32BigEndian(Nfta.NFTA_LOOKUP_SREG, Nft.NFT_REG_1);
        w.PutString(Nfta.NFTA_LOOKUP_SET, Set);
        if (SetId is { } id)
        {
            w.PutU32BigEndian(Nfta.NFTA_LOOKUP_SET_ID, id);
        }

        if (Inverted)
        {
            w.PutU32BigEndian(Nfta.NFTA_LOOKUP_FLAGS, Nft.NFT_LOOKUP_F_INV);
        }
    }
}
