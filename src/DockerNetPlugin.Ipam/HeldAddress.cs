using System.Net;

namespace DockerNetPlugin.Ipam;

/// <summary>
/// An endpoint address this host holds in the store, as an audit read it: its pool, when it was allocated (null for
/// records that predate the timestamp), and the store key and version a release compares against.
/// </summary>
public sealed record HeldAddress(string Pool, IPAddress Address, DateTimeOffset? AllocatedAt, string Key, ulong Version);
