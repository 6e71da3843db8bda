using System.Runtime.InteropServices;

namespace DockerNetPlugin.Interop;

/// <summary>Owns one file descriptor; closing it is the only thing ReleaseHandle does.</summary>
public sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>The raw descriptor number, for netlink attributes (IFLA_NET_NS_FD) that carry it.</summary>
    public int Fd => (int)handle;

    /// <summary>
    /// Wraps a descriptor a libc call just returned; null when it failed (errno is then still
    /// <see cref="Marshal.GetLastPInvokeError"/>, for the caller to turn into its own exception).
    /// </summary>
    public static SafeFdHandle? FromResult(int fd)
    {
        if (fd < 0)
        {
            return null;
        }

        var h = new SafeFdHandle();
        h.SetHandle(fd);
        return h;
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
