using DockerNetPlugin.Interop;

namespace DockerNetPlugin.Netlink;

/// <summary>
/// A failed kernel call: the operation (e.g. "RTM_NEWLINK vxlan 'vx-001000-abcde'" or "mount /run/netns/x"),
/// the errno and, when the kernel sent one, its extended-ack text.
/// The one root of this project's errors: a failed batch is a <see cref="NetlinkBatchException"/>, a subclass.
/// </summary>
public class NetlinkException : Exception
{
    public NetlinkException()
        : this("netlink", (int)Interop.Errno.EIO, null)
    {
    }

    public NetlinkException(string message)
        : base(message)
    {
        Operation = "netlink";
        Errno = (int)Interop.Errno.EIO;
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "netlink";
        Errno = (int)Interop.Errno.EIO;
    }

    public NetlinkException(string operation, int errno, string? kernelMessage)
        : base(Format(operation, errno, kernelMessage))
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = string.IsNullOrEmpty(kernelMessage) ? null : kernelMessage;
    }

    /// <summary>For subclasses that word their own message (a batch names how many items failed).</summary>
    protected NetlinkException(string operation, int errno, string message, Exception? innerException)
        : base(message, innerException)
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>Positive Linux errno (EEXIST = 17).</summary>
    public int Errno { get; }

    /// <summary>What was asked of the kernel, with the object it concerned.</summary>
    public string Operation { get; }

    /// <summary>The kernel's extended-ack message (NLMSGERR_ATTR_MSG), if any.</summary>
    public string? KernelMessage { get; }

    /// <summary>The object does not exist: ENOENT, ENODEV, ESRCH, or EADDRNOTAVAIL on an address delete.</summary>
    public bool IsNotFound =>
        Errno is (int)Interop.Errno.ENOENT or (int)Interop.Errno.ENODEV or (int)Interop.Errno.ESRCH
        || (Errno == (int)Interop.Errno.EADDRNOTAVAIL && Operation.StartsWith("RTM_DELADDR", StringComparison.Ordinal));

    /// <summary>The object already exists: EEXIST.</summary>
    public bool IsAlreadyExists => Errno == (int)Interop.Errno.EEXIST;

    private static string Format(string operation, int errno, string? kernelMessage)
    {
        var text = $"{operation}: {Errors.Describe(errno)} ({Errors.Name(errno)})";
        return string.IsNullOrEmpty(kernelMessage) ? text : $"{text}: {kernelMessage}";
    }
}
