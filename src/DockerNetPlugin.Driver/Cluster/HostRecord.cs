namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// A live host (<c>hosts/&lt;id&gt;</c> or <c>by-host/&lt;id&gt;/host</c>), held by its lease. <paramref name="KeyLayout"/>:
/// <c>by-host</c> when the host reads the by-host key layout (<see cref="WriteLayout"/>); absent from hosts of a release
/// before it, which ignore the field (System.Text.Json skips unknown members).
/// </summary>
public sealed record HostRecord(string HostId, string Locator, DateTimeOffset Started, string Version, string? KeyLayout = null);

/// <summary>A host's membership in a logical network (<c>network-hosts/&lt;network&gt;/&lt;host&gt;</c>).</summary>
public sealed record NetworkMembership(string NetworkId, string HostId, string DockerNetworkId);

/// <summary>
/// The lease this host's records are held by, kept in the local state dir (<c>local-lease</c>) so the next start can
/// resume it: its id, its TTL and the store it belongs to (<see cref="DockerNetPlugin.Store.IKvStore.Description"/>).
/// </summary>
public sealed record HeldLease(string Id, double TtlSeconds, string Store);
