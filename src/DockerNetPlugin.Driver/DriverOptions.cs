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

    /// <summary>Resolved at start: the underlay address peers use as this host's VTEP.</summary>
    public IPAddress? Locator { get; init; }
}
