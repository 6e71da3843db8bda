using System.Diagnostics;
using System.Net.Sockets;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Benchmarks.Scale;

/// <summary>
/// Counts what the plugin has programmed into a network's overlay namespace: PERMANENT IPv4 neighbour entries and FDB
/// entries with a remote VTEP on vxlan0, read with one netlink dump each (no process start per poll).
/// </summary>
internal sealed class PeerCounter : IDisposable
{
    private readonly NetNs _ns;
    private readonly RtnlHandle _rtnl;

    public PeerCounter(string namespacePath)
    {
        _ns = NetNs.Open(namespacePath);
        _rtnl = RtnlHandle.OpenIn(_ns);
    }

    public (int Neighbors, int Fdb) Count()
    {
        var index = (_rtnl.LinkByName(DeviceNames.Vxlan) ?? throw new InvalidOperationException($"{_ns} has no {DeviceNames.Vxlan}")).Index;
        var neighbors = _rtnl.NeighborList(index, AddressFamily.InterNetwork).Count(n => n.State.HasFlag(NeighborState.Permanent));
        var fdb = _rtnl.FdbList(index).Count(e => e.Vtep is not null);
        return (neighbors, fdb);
    }

    /// <summary>Polls (netlink dumps every ~5 ms) until <paramref name="expected"/> neighbour and FDB entries are programmed; returns the clock's time then.</summary>
    public async Task<double> WaitProgrammedAsync(int expected, Stopwatch clock, TimeSpan limit, CancellationToken ct)
    {
        while (true)
        {
            var (neighbors, fdb) = Count();
            if (neighbors >= expected && fdb >= expected)
            {
                return clock.Elapsed.TotalMilliseconds;
            }

            if (clock.Elapsed > limit)
            {
                throw new InvalidOperationException($"after {limit.TotalSeconds:F0} s the overlay namespace holds {neighbors} neighbour and {fdb} FDB entries, not {expected}");
            }

            await Task.Delay(5, ct);
        }
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _ns.Dispose();
    }
}
