using System.Runtime.InteropServices;

namespace DockerNetPlugin.Netlink.Interop;

/// <summary>sys/mount.h and sys/statfs.h.</summary>
internal static partial class Libc
{
    internal const ulong MS_BIND = 0x1000;
    internal const ulong MS_REC = 0x4000;
    internal const ulong MS_SHARED = 0x100000;
    internal const int MNT_DETACH = 2;

    /// <summary>f_type of an nsfs file (a bind-mounted namespace), from linux/magic.h.</summary>
    internal const long NSFS_MAGIC = 0x6e736673;

    /// <summary>Bytes reserved for struct statfs (120 on x86_64 and arm64); f_type is the first long.</summary>
    internal const int StatfsBufferSize = 256;

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string? source, string target, string? fstype, ulong flags, nint data);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int statfs(string path, byte* buf);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static unsafe partial int fstatfs(SafeFdHandle fd, byte* buf);
}
