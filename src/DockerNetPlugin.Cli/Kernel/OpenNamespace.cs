using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Cli.Kernel;

/// <summary>A namespace held open while the CLI looks into it: its fd (identity by inode) and a netlink handle inside it.</summary>
internal sealed class OpenNamespace : IDisposable
{
    private readonly NetNs _ns;

    private OpenNamespace(NamespaceView view, NetNs ns, RtnlHandle rtnl)
    {
        View = view;
        _ns = ns;
        Rtnl = rtnl;
    }

    public NamespaceView View { get; }

    public RtnlHandle Rtnl { get; }

    public ulong Inode => _ns.Inode;

    /// <summary>This process's own namespace.</summary>
    public static OpenNamespace Host() =>
        new(new NamespaceView(NamespaceView.HostKind, "host", "/proc/self/ns/net", null), NetNs.OpenCurrentProcess(), RtnlHandle.OpenHost());

    /// <summary>Opens the namespace mounted at the view's path (throws <see cref="NetlinkException"/> when none is).</summary>
    public static OpenNamespace Open(NamespaceView view)
    {
        var ns = NetNs.Open(view.Path);
        try
        {
            return new OpenNamespace(view, ns, RtnlHandle.OpenIn(ns));
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Rtnl.Dispose();
        _ns.Dispose();
    }
}
