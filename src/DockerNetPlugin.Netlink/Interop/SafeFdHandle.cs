using System.Runtime.InteropServices;

namespace DockerNetPlugin.Netlink.Interop;

/// <summary>Owns one file descriptor; closing it is the only thing ReleaseHandle does.</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>The raw descriptor number, for netlink attributes (IFLA_NET_NS_FD) that carry it.</summary>
    internal int Fd => (int)handle;

    /// <summary>Wraps a descriptor a libc call just returned; throws the errno if it failed.</summary>
    internal static SafeFdHandle FromResult(int fd, string operation)
    {
        if (fd < 0)
        {
            throw Errors.LastError(operation);
        }

        var h = new SafeFdHandle();
        h.SetHandle(fd);
        return h;
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
