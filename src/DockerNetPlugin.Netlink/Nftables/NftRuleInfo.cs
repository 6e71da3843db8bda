namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>A rule as a dump reports it: handle, comment, and the values of its first counter expression (null without one).</summary>
public sealed record NftRuleInfo(ulong Handle, string? Comment, ulong? Packets, ulong? Bytes);
