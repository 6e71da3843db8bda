namespace DockerNetPlugin.Ipam;

/// <summary>A RequestPool call: <paramref name="Pool"/> is <c>--subnet</c> (null/empty = pick one), <paramref name="SubPool"/> is <c>--ip-range</c>.</summary>
public sealed record PoolRequest(string AddressSpace, string? Pool, string? SubPool, IReadOnlyDictionary<string, string> Options, bool V6);
