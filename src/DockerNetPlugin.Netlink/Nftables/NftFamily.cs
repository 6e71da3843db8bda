namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>The nf_tables table family (the nfgenmsg family byte, NFPROTO_*).</summary>
public enum NftFamily : byte
{
    /// <summary>`inet`: IPv4 and IPv6 in one table.</summary>
    Inet = 1,

    /// <summary>`ip`.</summary>
    Ipv4 = 2,

    /// <summary>`ip6`.</summary>
    Ipv6 = 10,
}
