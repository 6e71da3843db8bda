using System.Runtime.InteropServices;

namespace DockerNetPlugin.Interop;

/// <summary>fcntl.h, unistd.h, sys/file.h and sys/stat.h.</summary>
public static partial class Libc
{
    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    /// <summary>Bytes reserved for struct stat (144 on x86_64, 128 on arm64).</summary>
    public const int StatBufferSize = 256;

    /// <summary>st_ino follows the 8-byte st_dev on both x86_64 and arm64.</summary>
    public const int StatInodeOffset = 8;

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int flock(SafeFdHandle fd, int operation);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int fsync(SafeFdHandle fd);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int stat(string path, byte* buf);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static unsafe partial int fstat(SafeFdHandle fd, byte* buf);
}
