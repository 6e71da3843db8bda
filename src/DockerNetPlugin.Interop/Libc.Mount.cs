using System.Runtime.InteropServices;

namespace DockerNetPlugin.Interop;

/// <summary>sys/mount.h and sys/statfs.h.</summary>
public static partial class Libc
{
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_SHARED = 0x100000;
    public const int MNT_DETACH = 2;

    /// <summary>f_type of an nsfs file (a bind-mounted namespace), from linux/magic.h.</summary>
    public const long NSFS_MAGIC = 0x6e736673;

    /// <summary>Bytes reserved for struct statfs (120 on x86_64 and arm64); f_type is the first long.</summary>
    public const int StatfsBufferSize = 256;

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, nint data);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int statfs(string path, byte* buf);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static unsafe partial int fstatfs(SafeFdHandle fd, byte* buf);
}
