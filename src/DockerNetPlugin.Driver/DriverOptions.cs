using System.Net;

namespace DockerNetPlugin.Driver;

/// <summary>Settings of the overlay driver on this host (from DNP_* variables, see the host's configuration).</summary>
public sealed record DriverOptions
{
    /// <summary>This host's stable id in the cluster (persisted in the state dir).</summary>
    public required string HostId { get; init; }

    /// <summary>
    /// This host's state folder (DNP_STATE_DIR): ownership markers of the namespaces and devices it makes live there.
    /// Null: nothing is ever proven ours, so nothing is deleted as stale.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>Where overlay namespaces are bind-mounted (DNP_NETNS_DIR, default /run/netns).</summary>
    public string NetnsDirectory { get; init; } = "/run/netns";

    /// <summary>The underlay: an IP or an interface name (DNP_ADVERTISE_ADDR); null = source of the default route.</summary>
    public string? Advertise { get; init; }

    /// <summary>UDP port of VXLAN (DNP_VXLAN_PORT).</summary>
    public ushort VxlanPort { get; init; } = 4789;

    /// <summary>Drop VXLAN from anything but the cluster's live hosts' VTEPs (DNP_VXLAN_GUARD, default on).</summary>
    public bool VxlanGuard { get; init; } = true;

    /// <summary>Replicate networks to every host through their Engine API (DNP_REPLICATE).</summary>
    public bool Replicate { get; init; } = true;

    /// <summary>TTL of this host's lease; its endpoint records vanish from other hosts within it after a crash.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long this host's records outlive a stop of the plugin (DNP_STOP_GRACE): a stop (SIGTERM, plugin disable or
    /// upgrade) hands them to a lease with this TTL, and the next start takes them back. A plugin that stays stopped
    /// longer is taken for gone.
    /// </summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a plugin call waits on the cluster store (DNP_STORE_TIMEOUT): Join, Leave and DeleteEndpoint wait this
    /// long for their endpoint record to reach the store, then succeed on their local work and leave the write to the
    /// background (<see cref="Cluster.EndpointPublisher"/>); it is also the bound of one background attempt.
    /// </summary>
    public TimeSpan StoreCallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>UDP port of the liveness echo on the advertise address (DNP_PROBE_PORT), the same on every host; never the VXLAN port.</summary>
    public ushort ProbePort { get; init; } = 4790;

    /// <summary>How hosts whose lease lapsed are probed before their entries are dropped.</summary>
    internal Liveness.LivenessOptions Liveness { get; init; } = DockerNetPlugin.Driver.Liveness.LivenessOptions.Default;

    /// <summary>
    /// How long an overlay namespace is kept after its last endpoint left (DNP_NETNS_GRACE, default 30 s), so the next
    /// container on the network reuses it instead of rebuilding it; zero removes it at once.
    /// </summary>
    public TimeSpan NetnsGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Which key layout this host writes what it owns in (DNP_KEY_LAYOUT, default auto; see <see cref="Cluster.WriteLayout"/>).
    /// Every host reads both layouts.
    /// </summary>
    public Cluster.KeyLayoutMode KeyLayout { get; init; } = Cluster.KeyLayoutMode.Auto;

    /// <summary>Resolved at start: the underlay address peers use as this host's VTEP.</summary>
    public IPAddress? Locator { get; init; }
}
