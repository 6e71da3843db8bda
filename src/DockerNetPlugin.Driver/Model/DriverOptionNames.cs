namespace DockerNetPlugin.Driver.Model;

/// <summary>The <c>-o</c> options the driver understands.</summary>
public static class DriverOptionNames
{
    /// <summary>The logical network a Docker network belongs to (set by replication, or by hand with DNP_REPLICATE=false).</summary>
    public const string Network = "dnp.network";

    /// <summary>A fixed VXLAN network identifier (4096–16777215).</summary>
    public const string Vni = "dnp.vni";

    /// <summary>
    /// <c>true</c>: broadcast, multicast and unknown-destination frames reach every other host with endpoints on the
    /// network (head-end replication); <c>false</c> (the default): they stay on their host, as on Docker's overlay.
    /// </summary>
    public const string Multicast = "dnp.multicast";

    /// <summary>Docker's standard MTU option.</summary>
    public const string Mtu = "com.docker.network.driver.mtu";
}
