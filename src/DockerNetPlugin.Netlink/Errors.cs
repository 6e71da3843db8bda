using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

using DockerNetPlugin.Interop;

namespace DockerNetPlugin.Netlink;

/// <summary>Turns errno into <see cref="NetlinkException"/> at the interop boundary.</summary>
internal static class Errors
{
    /// <summary>Reads errno of the last libc call (call right after it) and wraps it.</summary>
    internal static NetlinkException LastError(string operation) =>
        new(operation, Marshal.GetLastPInvokeError(), kernelMessage: null);

    [DoesNotReturn]
    internal static void ThrowLastError(string operation) => throw LastError(operation);

    /// <summary>Throws the last errno when a libc call returned a negative value.</summary>
    internal static void Check(int result, string operation)
    {
        if (result < 0)
        {
            ThrowLastError(operation);
        }
    }

    /// <summary>Owns the descriptor a libc call returned, or throws its errno as a <see cref="NetlinkException"/>.</summary>
    internal static SafeFdHandle Own(int fd, string operation) => SafeFdHandle.FromResult(fd) ?? throw LastError(operation);

    /// <summary>"EEXIST" for known numbers, else the number.</summary>
    internal static string Name(int errno) =>
        Enum.IsDefined((Errno)errno) ? ((Errno)errno).ToString() : $"errno {errno}";

    /// <summary>glibc's strerror text, e.g. "File exists".</summary>
    internal static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
