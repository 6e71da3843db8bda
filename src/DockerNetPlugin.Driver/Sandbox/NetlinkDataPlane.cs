using DockerNetPlugin.Netlink;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>The kernel through netlink: a handle on the host namespace, and an <see cref="OverlaySandbox"/> per overlay namespace.</summary>
internal sealed class NetlinkDataPlane : IDataPlane
{
    private readonly RtnlHandle _host;
    private readonly ILogger _logger;
    private readonly Trust.LoopSupervisor _loops;

    private NetlinkDataPlane(RtnlHandle host, ILogger logger, Trust.LoopSupervisor loops)
    {
        _host = host;
        _logger = logger;
        _loops = loops;
    }

    /// <summary>The host namespace; each overlay namespace's miss responder runs under <paramref name="loops"/>.</summary>
    public static NetlinkDataPlane OpenHost(ILogger logger, Trust.LoopSupervisor loops) => new(RtnlHandle.OpenHost(), logger, loops);

    /// <summary>On the namespace <paramref name="host"/> is opened in (tests use a throwaway one); takes ownership of it.</summary>
    internal static NetlinkDataPlane Over(RtnlHandle host, ILogger logger, Trust.LoopSupervisor? loops = null) => new(host, logger, loops ?? new Trust.LoopSupervisor(logger));

    public Underlay ResolveUnderlay(string? advertise) => Underlay.Resolve(_host, advertise);

    public ISandbox OpenSandbox(SandboxSpec spec) => OverlaySandbox.Ensure(spec, _host, _logger, _loops);

    public void DeleteSandbox(string path) => OverlaySandboxCleanup.DeleteIfPresent(path);

    public IReadOnlyList<string> ListSandboxes(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "dnp-*") : [];

    public IReadOnlyList<HostDevice> ListHostDevices() => _host.LinkList().Select(l => new HostDevice(l.Name, l.Vxlan?.Vni)).ToList();

    public void DeleteHostDevice(string name) => OverlaySandbox.DeleteIfPresent(_host, name);

    public void Dispose() => _host.Dispose();
}
