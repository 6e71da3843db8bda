using DockerNetPlugin.Netlink;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>The kernel through netlink: a handle on the host namespace, and an <see cref="OverlaySandbox"/> per overlay namespace.</summary>
internal sealed class NetlinkDataPlane : IDataPlane
{
    private readonly RtnlHandle _host;
    private readonly ILogger _logger;
    private readonly Trust.LoopSupervisor _loops;
    private readonly OwnershipMarkers? _markers;

    private NetlinkDataPlane(RtnlHandle host, ILogger logger, Trust.LoopSupervisor loops, OwnershipMarkers? markers)
    {
        _host = host;
        _logger = logger;
        _loops = loops;
        _markers = markers;
    }

    /// <summary>
    /// The host namespace; each overlay namespace's miss responder runs under <paramref name="loops"/>. Without
    /// <paramref name="markers"/> nothing is ever proven ours, so nothing is deleted as stale.
    /// </summary>
    public static NetlinkDataPlane OpenHost(ILogger logger, Trust.LoopSupervisor loops, OwnershipMarkers? markers) => new(RtnlHandle.OpenHost(), logger, loops, markers);

    /// <summary>On the namespace <paramref name="host"/> is opened in (tests use a throwaway one); takes ownership of it.</summary>
    internal static NetlinkDataPlane Over(RtnlHandle host, ILogger logger, Trust.LoopSupervisor? loops = null, OwnershipMarkers? markers = null) =>
        new(host, logger, loops ?? new Trust.LoopSupervisor(logger), markers);

    public Underlay ResolveUnderlay(string? advertise) => Underlay.Resolve(_host, advertise);

    /// <summary>Opens (or builds) the namespace and marks it ours: it is opened only for a network this host owns.</summary>
    public ISandbox OpenSandbox(SandboxSpec spec)
    {
        var sandbox = OverlaySandbox.Ensure(spec, _host, _logger, _loops, _markers);
        _markers?.Mark(OwnershipMarkers.Namespace, Path.GetFileName(spec.Path), sandbox.NamespaceInode);
        return sandbox;
    }

    public void DeleteSandbox(string path)
    {
        OverlaySandboxCleanup.DeleteIfPresent(path);
        _markers?.Forget(OwnershipMarkers.Namespace, Path.GetFileName(path));
    }

    public bool OwnsSandbox(string path)
    {
        if (_markers is null)
            return false;
        try
        {
            using var ns = NetNs.Open(path);
            return _markers.Proves(OwnershipMarkers.Namespace, Path.GetFileName(path), ns.Inode);
        }
        catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException)
        {
            return false; // not a namespace we can even open: certainly not proven ours
        }
    }

    public bool OwnsHostDevice(HostDevice device) =>
        _markers?.Proves(OwnershipMarkers.Link, device.Name, (ulong)device.Index) == true;

    public IReadOnlyList<string> ListSandboxes(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "dnp-*") : [];

    public IReadOnlyList<HostDevice> ListHostDevices() => _host.LinkList().Select(l => new HostDevice(l.Name, l.Vxlan?.Vni, l.Index)).ToList();

    public void DeleteHostDevice(string name)
    {
        OverlaySandbox.DeleteIfPresent(_host, name);
        _markers?.Forget(OwnershipMarkers.Link, name);
    }

    public void DeleteVeth(string sandboxPath, string containerSide, string sandboxSide)
    {
        if (OpenIfPresent(sandboxPath) is { } ns)
        {
            using (ns)
            {
                using var handle = RtnlHandle.OpenIn(ns);
                OverlaySandbox.DeleteIfPresent(handle, sandboxSide); // takes the container end with it, wherever it is
            }
        }
        OverlaySandbox.DeleteIfPresent(_host, containerSide);
        _markers?.Forget(OwnershipMarkers.Link, containerSide);
    }

    /// <summary>The namespace mounted at <paramref name="path"/>; null when there is none, also when it was removed while opening (its devices went with it).</summary>
    private static NetNs? OpenIfPresent(string path)
    {
        if (!NetNs.Exists(path))
            return null;
        try
        {
            return NetNs.Open(path);
        }
        catch (NetlinkException) when (!NetNs.Exists(path))
        {
            return null;
        }
    }

    public Names.ResolverSockets OpenHostResolver(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            var lo = _host.LinkByName("lo") ?? throw new DataPathException("the host namespace has no lo", null);
            var prefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            if (!_host.AddressList(lo.Index).Any(a => a.Ip.Equals(address) && a.PrefixLength == prefix))
                _host.AddressReplace(lo.Index, address, prefix);
            return Names.ResolverSockets.Bind(address); // pool threads stay in the process's (host) namespace: only NetNsThread switches
        }
        catch (Exception e) when (e is NetlinkException or System.Net.Sockets.SocketException)
        {
            throw new DataPathException($"cannot start the host's resolver on {address}:53: {e.Message}", e);
        }
    }

    public void Dispose() => _host.Dispose();
}
