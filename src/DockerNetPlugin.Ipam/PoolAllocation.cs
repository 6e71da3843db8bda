using System.Net;

namespace DockerNetPlugin.Ipam;

/// <summary>The answer to RequestPool. <paramref name="PoolId"/> is the same on every host for the same pool.</summary>
public sealed record PoolAllocation(string PoolId, IPNetwork Pool, IReadOnlyDictionary<string, string> Data);
