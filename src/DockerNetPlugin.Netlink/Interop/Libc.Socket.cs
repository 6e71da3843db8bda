using System.Runtime.InteropServices;

namespace DockerNetPlugin.Netlink.Interop;

/// <summary>sys/socket.h and poll.h.</summary>
internal static partial class Libc
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int NETLINK_ROUTE = 0;
    internal const int NETLINK_NETFILTER = 12;

    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVTIMEO = 20;
    internal const int SO_SNDBUFFORCE = 32;
    internal const int SO_RCVBUFFORCE = 33;

    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int NETLINK_GET_STRICT_CHK = 12;

    internal const int MSG_PEEK = 2;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_DONTWAIT = 0x40;

    internal const short POLLIN = 1;

    /// <summary>struct sockaddr_nl (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl
    {
        internal ushort Family;
        internal ushort Pad;
        internal uint Pid;
        internal uint Groups;
    }

    /// <summary>struct timeval on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timeval
    {
        internal long Seconds;
        internal long Microseconds;
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        internal int Fd;
        internal short Events;
        internal short Revents;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int bind(SafeFdHandle fd, in SockaddrNl addr, int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int getsockname(SafeFdHandle fd, out SockaddrNl addr, ref int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int setsockopt(SafeFdHandle fd, int level, int option, in int value, int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int setsockopt(SafeFdHandle fd, int level, int option, in Timeval value, int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int getsockopt(SafeFdHandle fd, int level, int option, out int value, ref int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static unsafe partial nint send(SafeFdHandle fd, byte* buf, nint len, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static unsafe partial nint recvfrom(SafeFdHandle fd, byte* buf, nint len, int flags, out SockaddrNl from, ref int fromLen);

    [LibraryImport(LibraryName, SetLastError = true)]
    internal static partial int poll(ref PollFd fds, nuint count, int timeoutMs);
}
