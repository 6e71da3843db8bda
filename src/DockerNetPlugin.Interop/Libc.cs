namespace DockerNetPlugin.Interop;

/// <summary>
/// Direct bindings to glibc, one partial file per C header (socket.h, sched.h, mount.h, fcntl.h, stat.h).
/// Entry points keep their C names so they stay greppable against the man pages and netlink.md.
/// </summary>
public static partial class Libc
{
    /// <summary>The glibc soname; no probing.</summary>
    public const string LibraryName = "libc.so.6";
}
