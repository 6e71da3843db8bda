using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>`counter`: packets and bytes of every packet that reaches it, read back from a rule dump.</summary>
internal sealed record NftCounter : NftExpression
{
    internal override string Name => "counter";

    private protected override void WriteData(ref NetlinkWriter w)
    {
    }
}
