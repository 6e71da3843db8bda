namespace DockerNetPlugin.Netlink;

/// <summary>One failed batch item: the item as the caller gave it (a Neighbor or FdbEntry), its position and the error.</summary>
public sealed record NetlinkBatchFailure(int Position, object Item, NetlinkException Error);
