using System.Runtime.InteropServices;

namespace DockerNetPlugin.Interop;

/// <summary>sched.h and unistd.h thread identity.</summary>
public static partial class Libc
{
    public const int CLONE_NEWNET = 0x40000000;

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int setns(SafeFdHandle fd, int nstype);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(LibraryName)]
    public static partial int gettid();
}
