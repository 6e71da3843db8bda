using System.Runtime.InteropServices;

namespace DockerNetPlugin.Netlink.Interop;

/// <summary>fcntl.h, unistd.h, sys/file.h and sys/stat.h.</summary>
internal static partial class Libc
{
    internal const int O_RDONLY = 0;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;
    internal const int LOCK_EX = 2;

    /// <summary>Bytes reserved for struct stat (144 on x86_64, 128 on arm64).</summary>
    internal const int StatBufferSize = 256;

    /// <summary>st_ino follows the 8-byte st_dev on both x86_64 and arm64.</summary>
    internal const int StatInodeOffset = 8;

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int flock(SafeFdHandle fd, int operation);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int stat(string path, byte* buf);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static unsafe partial int fstat(SafeFdHandle fd, byte* buf);
}
