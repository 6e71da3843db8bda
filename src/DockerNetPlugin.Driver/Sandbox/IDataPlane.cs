using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// The kernel as the driver sees it: the host namespace's dnp devices and the overlay namespaces. The netlink
/// implementation is <see cref="NetlinkDataPlane"/>; tests use an in-memory one. Calls are short and synchronous.
/// </summary>
internal interface IDataPlane : IDisposable
{
    /// <summary>This host's underlay (DNP_ADVERTISE_ADDR, else the default route's interface).</summary>
    Underlay ResolveUnderlay(string? advertise);

    /// <summary>Open the overlay namespace of <paramref name="spec"/>, creating what is missing (idempotent).</summary>
    ISandbox OpenSandbox(SandboxSpec spec);

    /// <summary>Remove an overlay namespace no sandbox holds open; a missing one is fine.</summary>
    void DeleteSandbox(string path);

    /// <summary>The overlay namespaces mounted in <paramref name="directory"/> (<c>dnp-*</c>).</summary>
    IReadOnlyList<string> ListSandboxes(string directory);

    /// <summary>Devices in the host namespace (container ends of veths, vxlan devices before they move).</summary>
    IReadOnlyList<HostDevice> ListHostDevices();

    /// <summary>Delete a host-namespace device; a missing one is fine.</summary>
    void DeleteHostDevice(string name);

    /// <summary>
    /// Delete an endpoint's veth pair through a netlink socket of its own in the overlay namespace at
    /// <paramref name="sandboxPath"/> (so it runs beside the namespace's open sandbox, which it never touches), and the
    /// container end in the host namespace if it is there alone; missing ends and a missing namespace are fine.
    /// </summary>
    void DeleteVeth(string sandboxPath, string containerSide, string sandboxSide);

    /// <summary>
    /// Put <paramref name="address"/>/32 on the host namespace's <c>lo</c> (kept if there) and bind the resolver's sockets
    /// on it there: containers on no dnp network reach it through their default route.
    /// </summary>
    Names.ResolverSockets OpenHostResolver(System.Net.IPAddress address);

    /// <summary>True only when this plugin's marker proves it made the namespace mounted at <paramref name="path"/>.</summary>
    bool OwnsSandbox(string path);

    /// <summary>True only when this plugin's marker proves it made <paramref name="device"/> (name and ifindex).</summary>
    bool OwnsHostDevice(HostDevice device);
}

/// <summary>A device in the host namespace: its name, its ifindex and, for a vxlan device, its VNI.</summary>
internal sealed record HostDevice(string Name, uint? Vni, int Index = 0);

/// <summary>
/// One open overlay namespace: br0, vxlan0, the endpoints' veths and the remote endpoints' neighbour and FDB entries.
/// The owning network serialises calls (its kernel gate).
/// </summary>
internal interface ISandbox : IAsyncDisposable
{
    SandboxSpec Spec { get; }

    /// <summary>Create the endpoint's veth pair (overlay end on br0); a repeated call keeps what is there.</summary>
    void AttachEndpoint(string containerSide, string sandboxSide, System.Net.NetworkInformation.PhysicalAddress mac);

    /// <summary>Delete the endpoint's veth pair wherever its ends are; missing ends are fine.</summary>
    void DetachEndpoint(string containerSide, string sandboxSide);

    /// <summary>Whether the endpoint's overlay end is still enslaved to br0.</summary>
    bool HasEndpoint(string sandboxSide);

    /// <summary>The names of the veth ends in the namespace (the overlay ends of endpoints' pairs, whoever they belong to).</summary>
    IReadOnlyList<string> EndpointDevices();

    /// <summary>Null when the namespace, br0 and vxlan0 are as built; else what is wrong.</summary>
    string? Problem();

    /// <summary>The PERMANENT neighbour entries and remote FDB entries vxlan0 holds now.</summary>
    Peers.PeerEntries ReadPeers();

    /// <summary>Apply one batch: removals (missing entries are fine), then additions.</summary>
    void Apply(Peers.PeerBatch batch);

    /// <summary>
    /// Put <paramref name="address"/>/32 on br0 (kept if there; br0 then answers the containers' ARP for it) and bind the
    /// resolver's sockets on it inside the namespace (on a NetNsThread). They go when the caller disposes them or the
    /// namespace is deleted.
    /// </summary>
    Names.ResolverSockets OpenResolver(System.Net.IPAddress address);

    /// <summary>Hand vxlan0's misses to <paramref name="answer"/> until the sandbox is closed.</summary>
    void OnMiss(Action<NeighborMiss> answer);

    /// <summary>Close the handles and stop the miss listener in the background; kernel state stays (flows keep running).</summary>
    void Close();

    /// <summary>Delete vxlan0 (freeing the VNI) and the namespace itself, and close.</summary>
    void Destroy();
}
