namespace DockerNetPlugin.Netlink.Model;

/// <summary>The kernel dropped notifications (ENOBUFS): state is unknown, re-read what you track.</summary>
public sealed record MissResync : NeighborMiss;
