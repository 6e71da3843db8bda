using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Peers;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// One overlay namespace (<c>dnp-&lt;net&gt;</c>): br0 carrying the gateways, vxlan0 enslaved to it, one veth per local
/// endpoint, and a PERMANENT neighbour + <c>self</c> FDB entry per remote endpoint. Every method can be re-run:
/// it creates only what is missing. Kernel calls are short and synchronous; callers serialise them per network.
/// </summary>
internal sealed class OverlaySandbox : ISandbox
{
    /// <summary>The flood list's MAC: vxlan0 sends frames no other entry matches to every remote of this entry.</summary>
    private static readonly PhysicalAddress FloodMac = new(new byte[6]);

    private readonly RtnlHandle _host;
    private readonly ILogger _logger;
    private readonly Trust.LoopSupervisor _loops;
    private Trust.SupervisedLoop? _misses;
    private readonly OwnershipMarkers? _markers;

    private OverlaySandbox(SandboxSpec spec, NetNs ns, RtnlHandle handle, RtnlHandle host, int bridgeIndex, int vxlanIndex, ILogger logger, Trust.LoopSupervisor loops,
        OwnershipMarkers? markers)
    {
        _markers = markers;
        _loops = loops;
        Spec = spec;
        Namespace = ns;
        Handle = handle;
        _host = host;
        BridgeIndex = bridgeIndex;
        VxlanIndex = vxlanIndex;
        _logger = logger;
    }

    public SandboxSpec Spec { get; }

    /// <summary>The nsfs inode of the namespace (what its ownership marker records).</summary>
    public ulong NamespaceInode => Namespace.Inode;
    private NetNs Namespace { get; }

    /// <summary>A netlink socket opened inside the namespace, usable from any thread; only this class speaks through it.</summary>
    private RtnlHandle Handle { get; }
    private int BridgeIndex { get; }
    private int VxlanIndex { get; }

    /// <summary>Open the namespace (creating it if missing) and make sure br0 and vxlan0 match <paramref name="spec"/>.</summary>
    public static OverlaySandbox Ensure(SandboxSpec spec, RtnlHandle host, ILogger logger, Trust.LoopSupervisor loops, OwnershipMarkers? markers = null)
    {
        var created = !NetNs.Exists(spec.Path);
        NetNs? ns = null;
        RtnlHandle? handle = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(spec.Path)!);
            ns = created ? NetNs.Create(spec.Path) : NetNs.Open(spec.Path);
            handle = RtnlHandle.OpenIn(ns);
            var bridge = EnsureBridge(handle, spec);
            var vxlan = EnsureVxlan(host, handle, ns, spec, bridge, markers);
            handle.LinkSetUp(bridge);
            return new OverlaySandbox(spec, ns, handle, host, bridge, vxlan, logger, loops, markers);
        }
        catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException)
        {
            handle?.Dispose();
            ns?.Dispose();
            if (created)
                OverlaySandboxCleanup.DeleteIfPresent(spec.Path);
            throw new DataPathException($"cannot build overlay namespace {spec.Path} (VNI {spec.Vni}): {e.Message}", e);
        }
        catch
        {
            handle?.Dispose();
            ns?.Dispose();
            if (created)
                OverlaySandboxCleanup.DeleteIfPresent(spec.Path);
            throw;
        }
    }

    /// <summary>Create the endpoint's veth pair: the container end stays in the host namespace for Docker to move.</summary>
    public void AttachEndpoint(string containerSide, string sandboxSide, PhysicalAddress mac)
    {
        var existingPeer = Handle.LinkByName(sandboxSide);
        var existingContainer = _host.LinkByName(containerSide);
        if (existingPeer is not null && existingContainer is not null && existingPeer.MasterIndex == BridgeIndex)
            return; // a repeated Join: already built
        DetachEndpoint(containerSide, sandboxSide);
        try
        {
            _host.VethAdd(containerSide, sandboxSide, Spec.Mtu, mac, null, Namespace);
            if (_host.LinkByName(containerSide) is { } made)
                _markers?.Mark(OwnershipMarkers.Link, containerSide, (ulong)made.Index); // until Docker moves it into the container
            var peer = Handle.LinkByName(sandboxSide)
                ?? throw new DataPathException($"veth end {sandboxSide} did not appear in {Spec.Path}", null);
            Handle.LinkSetMtu(peer.Index, Spec.Mtu);
            Handle.LinkSetMaster(peer.Index, BridgeIndex);
            Handle.LinkSetUp(peer.Index);
            ForgetLearnedRemote(mac);
        }
        catch (NetlinkException e)
        {
            DetachEndpoint(containerSide, sandboxSide);
            throw new DataPathException($"cannot create veth pair {containerSide}/{sandboxSide}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Addresses (and so MACs, 02:42 + IP) are reused: a MAC that lived on another host may now be local. br0 may still
    /// hold what it learned for it on the vxlan0 port and would send the new local container's frames into the tunnel
    /// until that entry ages out, so it is dropped now (learned state must never beat the store).
    /// </summary>
    private void ForgetLearnedRemote(PhysicalAddress mac)
    {
        try
        {
            Handle.FdbDelete(new FdbEntry(VxlanIndex, mac, null, Master: true));
        }
        catch (NetlinkException e) when (e.IsNotFound)
        {
            // nothing learned: the usual case
        }
    }

    /// <summary>Delete the endpoint's veth pair wherever its ends are; missing ends are fine.</summary>
    public void DetachEndpoint(string containerSide, string sandboxSide)
    {
        DeleteIfPresent(Handle, sandboxSide);
        DeleteIfPresent(_host, containerSide);
        _markers?.Forget(OwnershipMarkers.Link, containerSide);
    }

    /// <summary>Whether the endpoint's overlay end is still enslaved to br0 (used by reconciliation).</summary>
    public bool HasEndpoint(string sandboxSide) => Handle.LinkByName(sandboxSide)?.MasterIndex == BridgeIndex;

    public IReadOnlyList<string> EndpointDevices() => Handle.LinkList().Where(l => l.Kind == "veth").Select(l => l.Name).ToList();

    public string? Problem()
    {
        if (!NetNs.Exists(Spec.Path))
            return $"the namespace mount {Spec.Path} is gone";
        if (Handle.LinkByName(DeviceNames.Bridge) is not { } bridge || bridge.Index != BridgeIndex)
            return "br0 is missing";
        if (Handle.LinkByName(DeviceNames.Vxlan) is not { Vxlan: { } vxlan } link || link.Index != VxlanIndex
            || vxlan.Vni != Spec.Vni || link.MasterIndex != BridgeIndex)
            return "vxlan0 is missing, has another VNI, or is not on br0";
        if (Spec.Multicast && bridge.MulticastSnooping != false)
            return "br0 snoops IGMP/MLD on a multicast network";
        return null;
    }

    public PeerEntries ReadPeers()
    {
        var fdb = Handle.FdbList(VxlanIndex).Where(f => f.Vtep is not null).ToList();
        return new(
            Handle.NeighborList(VxlanIndex).Where(n => n.State.HasFlag(NeighborState.Permanent)).Select(n => new NeighbourEntry(n.Ip, n.Mac ?? PhysicalAddress.None)),
            fdb.Where(f => !IsFlood(f.Mac)).Select(f => new FdbTarget(f.Mac, f.Vtep!)),
            fdb.Where(f => IsFlood(f.Mac)).Select(f => f.Vtep!));
    }

    /// <summary>
    /// Removals first (entries already gone are fine), then neighbour and FDB replaces and flood appends (one remote
    /// each on the zero MAC, as <c>bridge fdb append</c>), each pipelined.
    /// </summary>
    public void Apply(PeerBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.RemoveNeighbours.Count > 0)
            IgnoreMissing(() => Handle.NeighborDeleteMany(batch.RemoveNeighbours.Select(n => new Neighbor(VxlanIndex, n.Ip, n.Mac)).ToList()));
        if (batch.RemoveFdb.Count > 0)
            IgnoreMissing(() => Handle.FdbDeleteMany(batch.RemoveFdb.Select(f => new FdbEntry(VxlanIndex, f.Mac, f.Vtep)).ToList()));
        if (batch.RemoveFlood.Count > 0)
            IgnoreMissing(() => Handle.FdbDeleteMany(batch.RemoveFlood.Select(v => new FdbEntry(VxlanIndex, FloodMac, v)).ToList()));
        if (batch.AddNeighbours.Count > 0)
            Handle.NeighborReplaceMany(batch.AddNeighbours.Select(n => new Neighbor(VxlanIndex, n.Ip, n.Mac)).ToList());
        if (batch.AddFdb.Count > 0)
            Handle.FdbReplaceMany(batch.AddFdb.Select(f => new FdbEntry(VxlanIndex, f.Mac, f.Vtep)).ToList());
        if (batch.AddFlood.Count > 0)
            Handle.FdbAppendMany(batch.AddFlood.Select(v => new FdbEntry(VxlanIndex, FloodMac, v)).ToList());
    }

    public Names.ResolverSockets OpenResolver(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            var prefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            if (!Handle.AddressList(BridgeIndex).Any(a => a.Ip.Equals(address) && a.PrefixLength == prefix))
                Handle.AddressReplace(BridgeIndex, address, prefix);
            return Namespace.Run(() => Names.ResolverSockets.Bind(address));
        }
        catch (Exception e) when (e is NetlinkException or System.Net.Sockets.SocketException)
        {
            throw new DataPathException($"cannot start the resolver on {address}:53 in {Spec.Path}: {e.Message}", e);
        }
    }

    private static bool IsFlood(PhysicalAddress mac) => mac.Equals(FloodMac);

    public void OnMiss(Action<NeighborMiss> answer)
    {
        StopMissesInBackground();
        _misses = MissResponder.Start(_loops, System.IO.Path.GetFileName(Spec.Path), Namespace, answer);
    }

    /// <summary>Delete vxlan0 (freeing the VNI) and the namespace itself, and forget the namespace's ownership marker.</summary>
    public void Destroy()
    {
        DeleteIfPresent(Handle, DeviceNames.Vxlan);
        Close();
        OverlaySandboxCleanup.DeleteIfPresent(Spec.Path);
        _markers?.Forget(OwnershipMarkers.Namespace, System.IO.Path.GetFileName(Spec.Path));
    }

    /// <summary>Stops the miss listener without waiting (safe under the network's kernel gate, which answers take).</summary>
    public void Close()
    {
        StopMissesInBackground();
        Handle.Dispose();
        Namespace.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_misses is { } misses)
        {
            _misses = null;
            await _loops.StopAsync(misses).ConfigureAwait(false);
        }
        Close();
    }

    /// <summary>
    /// The miss loop leaves the supervisor at once (its name is free for a re-opened namespace) and is awaited in the
    /// background: its answers take the network's kernel gate, which a caller here may hold.
    /// </summary>
    private void StopMissesInBackground()
    {
        if (_misses is not { } misses)
            return;
        _misses = null;
        _ = _loops.StopAsync(misses);
    }

    private static int EnsureBridge(RtnlHandle handle, SandboxSpec spec)
    {
        var bridge = handle.LinkByName(DeviceNames.Bridge);
        // A multicast network's br0 forwards every multicast frame to every port: snooping would prune ports whose
        // receivers' reports it missed, and it depends on a querier nobody is obliged to run (see README, Multicast).
        bool? snooping = spec.Multicast ? false : null;
        var index = bridge?.Index ?? handle.BridgeAdd(DeviceNames.Bridge, spec.Mtu, multicastSnooping: snooping);
        if (bridge is not null && bridge.Mtu != spec.Mtu)
            handle.LinkSetMtu(index, spec.Mtu);
        if (bridge is not null && spec.Multicast && bridge.MulticastSnooping != false)
            handle.BridgeSetMulticastSnooping(index, on: false);
        var present = handle.AddressList(index);
        foreach (var gateway in spec.Gateways)
        {
            if (!present.Any(a => a.Ip.Equals(gateway.Address) && a.PrefixLength == gateway.PrefixLength))
                handle.AddressReplace(index, gateway.Address, gateway.PrefixLength);
        }
        return index;
    }

    private static int EnsureVxlan(RtnlHandle host, RtnlHandle handle, NetNs ns, SandboxSpec spec, int bridge, OwnershipMarkers? markers)
    {
        var existing = handle.LinkByName(DeviceNames.Vxlan);
        if (existing?.Vxlan is { } info && info.Vni == spec.Vni && info.Port == spec.Port && !info.Learning && info.Proxy && info.L2Miss && info.L3Miss
            && Equals(info.Local, spec.Local))
        {
            if (existing.Mtu != spec.Mtu)
                handle.LinkSetMtu(existing.Index, spec.Mtu);
            if (existing.MasterIndex != bridge)
                handle.LinkSetMaster(existing.Index, bridge);
            handle.LinkSetUp(existing.Index);
            return existing.Index;
        }
        if (existing is not null)
            handle.LinkDelete(existing.Index);

        // Created in the host namespace so its UDP socket binds to the underlay, then moved in (as Docker does).
        var hostName = DeviceNames.HostVxlan(spec.Vni, spec.LogicalNetworkId);
        DeleteIfPresent(host, hostName);
        var hostIndex = host.VxlanAdd(new VxlanSpec(hostName, spec.Vni, spec.Port, Learning: false, Proxy: true, L2Miss: true, L3Miss: true, Mtu: spec.Mtu, Local: spec.Local));
        markers?.Mark(OwnershipMarkers.Link, hostName, (ulong)hostIndex); // a crash before the move leaves it provably ours
        try
        {
            host.LinkSetNetNs(hostIndex, ns);
        }
        catch
        {
            DeleteIfPresent(host, hostName);
            markers?.Forget(OwnershipMarkers.Link, hostName);
            throw;
        }
        markers?.Forget(OwnershipMarkers.Link, hostName);
        var moved = handle.LinkByName(hostName) ?? throw new DataPathException($"{hostName} did not arrive in {spec.Path}", null);
        handle.LinkSetName(moved.Index, DeviceNames.Vxlan);
        handle.LinkSetMaster(moved.Index, bridge);
        handle.LinkSetUp(moved.Index);
        return moved.Index;
    }

    internal static void DeleteIfPresent(RtnlHandle handle, string name)
    {
        var link = handle.LinkByName(name);
        if (link is null)
            return;
        try
        {
            handle.LinkDelete(link.Index);
        }
        catch (NetlinkException e) when (e.IsNotFound)
        {
            // deleted concurrently (a veth goes with its peer)
        }
    }

    private static void IgnoreMissing(Action action)
    {
        try
        {
            action();
        }
        catch (NetlinkBatchException e) when (e.Failures.All(f => f.Error.IsNotFound))
        {
        }
    }
}
