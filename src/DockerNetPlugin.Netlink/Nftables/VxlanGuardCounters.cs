namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>What the guard dropped since its table was built: VXLAN-port datagrams from sources outside the VTEP sets.</summary>
public sealed record VxlanGuardCounters(ulong Ipv4Packets, ulong Ipv4Bytes, ulong Ipv6Packets, ulong Ipv6Bytes)
{
    public ulong Packets => Ipv4Packets + Ipv6Packets;

    public ulong Bytes => Ipv4Bytes + Ipv6Bytes;
}
