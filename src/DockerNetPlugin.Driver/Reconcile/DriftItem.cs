namespace DockerNetPlugin.Driver.Reconcile;

/// <summary>
/// One difference between what should be (the store, this host's state, Docker's view) and what is (the kernel).
/// </summary>
/// <param name="Network">The Docker network (or logical network, or "-" for host-wide items).</param>
/// <param name="Kind">What kind of difference: one of <see cref="DriftKinds"/>.</param>
/// <param name="Object">The object concerned: an address, a MAC, a device, a namespace, a store key.</param>
/// <param name="Detail">What is wrong and what repair does (or why it cannot).</param>
/// <param name="Repairable">Whether <c>dnp doctor --repair</c> can fix it.</param>
public sealed record DriftItem(string Network, string Kind, string Object, string Detail, bool Repairable = true);

/// <summary>The kinds of <see cref="DriftItem"/>.</summary>
public static class DriftKinds
{
    public const string SandboxBroken = "sandbox-broken";
    public const string NeighbourMissing = "neighbour-missing";
    public const string NeighbourStale = "neighbour-stale";
    public const string FdbMissing = "fdb-missing";
    public const string FdbStale = "fdb-stale";
    public const string FloodMissing = "flood-missing";
    public const string FloodStale = "flood-stale";
    public const string VethMissing = "veth-missing";
    public const string VethStale = "veth-stale";
    public const string RecordMissing = "record-missing";
    public const string RecordStale = "record-stale";
    /// <summary>A record of this host's that holds what another writer put there.</summary>
    public const string RecordAltered = "record-altered";
    public const string EndpointStale = "endpoint-stale";
    public const string NetworkStale = "network-stale";
    public const string NamespaceStale = "namespace-stale";
    public const string DeviceStale = "device-stale";
    public const string GuardMissing = "guard-missing";
    public const string AddressLeaked = "address-leaked";
}

/// <summary>What a check found and, with repair, what it fixed and what remains.</summary>
/// <param name="Found">Drift found by the check (before any repair).</param>
/// <param name="Repaired">Items fixed by this run (empty without repair).</param>
/// <param name="Remaining">Drift still present after this run.</param>
/// <param name="Notes">Things that limited the check (e.g. Docker unreachable).</param>
public sealed record DriftReport(IReadOnlyList<DriftItem> Found, IReadOnlyList<DriftItem> Repaired, IReadOnlyList<DriftItem> Remaining, IReadOnlyList<string> Notes)
{
    public bool Clean => Remaining.Count == 0;
}
