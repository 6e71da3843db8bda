using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>
/// Listens for vxlan0's L2/L3 miss notifications in one overlay namespace and hands each to an answer (the
/// driver looks the address up in its peer cache and programs the entry). Entries are programmed ahead of
/// traffic, so a miss means a race with the watch or an entry deleted by hand: answering it heals at once.
/// Runs as a supervised loop: if the monitor fails (a socket error, anything), the loop is logged, backed off and
/// started again with a fresh monitor, and its first answer is a full resync (notifications may have been lost).
/// </summary>
internal static class MissResponder
{
    /// <summary>The loop's name in <c>dnp status</c>: one per overlay namespace.</summary>
    public static string LoopName(string sandboxName) => "miss-responder/" + sandboxName;

    public static SupervisedLoop Start(LoopSupervisor loops, string sandboxName, NetNs ns, Action<NeighborMiss> answer)
    {
        ArgumentNullException.ThrowIfNull(loops);
        return loops.Start(LoopName(sandboxName), async ct =>
        {
            var monitor = NeighborMonitor.Open(ns);
            await using (monitor.ConfigureAwait(false))
            {
                answer(new MissResync());
                await foreach (var miss in monitor.ReadAllAsync(ct).ConfigureAwait(false))
                    answer(miss);
            }
        });
    }
}
