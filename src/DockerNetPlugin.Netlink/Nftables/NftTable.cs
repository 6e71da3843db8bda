namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>
/// A table as the kernel reports it: its handle (stable for the table's life, used to delete exactly this
/// table) and the comment stored in its user data (NFTA_TABLE_USERDATA, what `nft list` prints as comment).
/// </summary>
public sealed record NftTable(NftFamily Family, string Name, ulong Handle, string? Comment);
