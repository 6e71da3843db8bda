namespace DockerNetPlugin.Netlink;

/// <summary>
/// Some items of a pipelined batch failed; every item was attempted and every failure is listed. Its errno is the first
/// failure's, so callers that only need "did the kernel refuse" catch <see cref="NetlinkException"/>.
/// </summary>
public sealed class NetlinkBatchException : NetlinkException
{
    public NetlinkBatchException()
        : this("netlink batch failed", [])
    {
    }

    public NetlinkBatchException(string message)
        : this(message, [])
    {
    }

    public NetlinkBatchException(string message, Exception innerException)
        : base("netlink batch", (int)Interop.Errno.EIO, message, innerException)
    {
        Failures = [];
    }

    public NetlinkBatchException(string operation, IReadOnlyList<NetlinkBatchFailure> failures)
        : base(operation, failures.Count > 0 ? failures[0].Error.Errno : (int)Interop.Errno.EIO, Format(operation, failures), failures.Count > 0 ? failures[0].Error : null)
    {
        Failures = failures;
    }

    /// <summary>Each failed item with the kernel's answer for it, in request order.</summary>
    public IReadOnlyList<NetlinkBatchFailure> Failures { get; }

    private static string Format(string operation, IReadOnlyList<NetlinkBatchFailure> failures)
    {
        var first = failures.Count > 0 ? $"; first: {failures[0].Error.Message}" : string.Empty;
        return $"{operation}: {failures.Count} item(s) failed{first}";
    }
}
