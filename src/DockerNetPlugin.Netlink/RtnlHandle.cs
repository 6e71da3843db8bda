using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>
/// Typed rtnetlink verbs over one NETLINK_ROUTE socket that belongs to one network namespace
/// (the one it was opened in). Thread-safe: requests on one handle are serialised. Each verb's
/// summary names its `ip`/`bridge` equivalent. Verbs are synchronous: they are short syscalls.
/// </summary>
public sealed partial class RtnlHandle : IDisposable
{
    /// <summary>Bytes reserved on the stack for one request; the largest (a vxlan create) needs about 150.</summary>
    private const int RequestBufferSize = 512;

    private readonly NetlinkSocket _socket;

    private RtnlHandle(NetlinkSocket socket) => _socket = socket;

    private delegate void ItemWriter<T>(ref NetlinkWriter writer, T item, uint seq);

    /// <summary>A handle in the process's own (host) namespace, whichever thread calls.</summary>
    public static RtnlHandle OpenHost() => new(NetNs.RunInProcessNamespace(() => NetlinkSocket.Open()));

    /// <summary>A handle whose socket is opened inside <paramref name="ns"/> on a dedicated thread; usable from any thread afterwards.</summary>
    public static RtnlHandle OpenIn(NetNs ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new(ns.Run(() => NetlinkSocket.Open()));
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Pipelines one message per item and throws one <see cref="NetlinkBatchException"/> listing every failed item.</summary>
    private void RunBatch<T>(IReadOnlyList<T> items, string operation, ItemWriter<T> write, Func<T, string> describe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        var failures = _socket.ExecuteBatch(
            items.Count,
            (ref NetlinkWriter w, int index, uint seq) => write(ref w, items[index], seq),
            index => describe(items[index]));
        if (failures.Count > 0)
        {
            throw new NetlinkBatchException(
                $"{operation} ({items.Count} items)",
                failures.Select(f => new NetlinkBatchFailure(f.Index, items[f.Index], f.Error)).ToList());
        }
    }

    private static void CheckIndex(int index, string name)
    {
        if (index <= 0)
        {
            throw new ArgumentOutOfRangeException(name, index, "an interface index is a positive number");
        }
    }
}
