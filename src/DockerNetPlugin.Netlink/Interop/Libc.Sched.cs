using System.Runtime.InteropServices;

namespace DockerNetPlugin.Netlink.Interop;

/// <summary>sched.h and unistd.h thread identity.</summary>
internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int setns(SafeFdHandle fd, int nstype);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int unshare(int flags);

    [LibraryImport(LibraryName)]
    internal static partial int gettid();
}
