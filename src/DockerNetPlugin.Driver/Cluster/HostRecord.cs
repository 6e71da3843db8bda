namespace DockerNetPlugin.Driver.Cluster;

/// <summary>A live host (<c>hosts/&lt;id&gt;</c>), held by its lease.</summary>
public sealed record HostRecord(string HostId, string Locator, DateTimeOffset Started, string Version);

/// <summary>A host's membership in a logical network (<c>network-hosts/&lt;network&gt;/&lt;host&gt;</c>).</summary>
public sealed record NetworkMembership(string NetworkId, string HostId, string DockerNetworkId);

/// <summary>
/// The lease this host's records are held by, kept in the local state dir (<c>local-lease</c>) so the next start can
/// resume it: its id, its TTL and the store it belongs to (<see cref="DockerNetPlugin.Store.IKvStore.Description"/>).
/// </summary>
public sealed record HeldLease(string Id, double TtlSeconds, string Store);
