using DockerNetPlugin.Netlink;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>The kernel through netlink: a handle on the host namespace, and an <see cref="OverlaySandbox"/> per overlay namespace.</summary>
internal sealed class NetlinkDataPlane : IDataPlane
{
    private readonly RtnlHandle _host;
    private readonly ILogger _logger;

    private NetlinkDataPlane(RtnlHandle host, ILogger logger)
    {
        _host = host;
        _logger = logger;
    }

    public static NetlinkDataPlane OpenHost(ILogger logger) => new(RtnlHandle.OpenHost(), logger);

    /// <summary>On the namespace <paramref name="host"/> is opened in (tests use a throwaway one); takes ownership of it.</summary>
    internal static NetlinkDataPlane Over(RtnlHandle host, ILogger logger) => new(host, logger);

    public Underlay ResolveUnderlay(string? advertise) => Underlay.Resolve(_host, advertise);

    public ISandbox OpenSandbox(SandboxSpec spec) => OverlaySandbox.Ensure(spec, _host, _logger);

    public void DeleteSandbox(string path) => OverlaySandboxCleanup.DeleteIfPresent(path);

    public IReadOnlyList<string> ListSandboxes(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "dnp-*") : [];

    public IReadOnlyList<HostDevice> ListHostDevices() => _host.LinkList().Select(l => new HostDevice(l.Name, l.Vxlan?.Vni)).ToList();

    public void DeleteHostDevice(string name) => OverlaySandbox.DeleteIfPresent(_host, name);

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
