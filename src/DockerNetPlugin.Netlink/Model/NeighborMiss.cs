namespace DockerNetPlugin.Netlink.Model;

/// <summary>A notification from <see cref="DockerNetPlugin.Netlink.NeighborMonitor"/>.</summary>
public abstract record NeighborMiss;
