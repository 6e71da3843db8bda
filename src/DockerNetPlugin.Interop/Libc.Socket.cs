using System.Runtime.InteropServices;

namespace DockerNetPlugin.Interop;

/// <summary>sys/socket.h and poll.h.</summary>
public static partial class Libc
{
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;
    public const int NETLINK_NETFILTER = 12;

    public const int SOL_SOCKET = 1;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;

    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    public const int MSG_PEEK = 2;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_DONTWAIT = 0x40;

    public const short POLLIN = 1;

    /// <summary>struct sockaddr_nl (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    /// <summary>struct timeval on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int bind(SafeFdHandle fd, in SockaddrNl addr, int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getsockname(SafeFdHandle fd, out SockaddrNl addr, ref int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int setsockopt(SafeFdHandle fd, int level, int option, in int value, int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int setsockopt(SafeFdHandle fd, int level, int option, in Timeval value, int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getsockopt(SafeFdHandle fd, int level, int option, out int value, ref int len);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static unsafe partial nint send(SafeFdHandle fd, byte* buf, nint len, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static unsafe partial nint recvfrom(SafeFdHandle fd, byte* buf, nint len, int flags, out SockaddrNl from, ref int fromLen);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int poll(ref PollFd fds, nuint count, int timeoutMs);
}
