namespace DockerNetPlugin.Ipam;

/// <summary>The stored list of every pool CIDR (<c>ipam/index</c>).</summary>
internal sealed record PoolIndexRecord(List<string> Cidrs);
