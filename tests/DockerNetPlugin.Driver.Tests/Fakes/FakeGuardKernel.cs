using System.Net;
using DockerNetPlugin.Driver.Guard;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>The VXLAN guard's table in memory: present or not, its port and allowed VTEPs, a drop counter tests set.</summary>
internal sealed class FakeGuardKernel : IVxlanGuardKernel
{
    private readonly Lock _gate = new();

    public bool Present { get; private set; }
    public ushort Port { get; private set; }
    public IReadOnlySet<IPAddress> Vteps { get; private set; } = new HashSet<IPAddress>();
    public ulong Dropped { get; set; }
    public int Ensures { get; private set; }
    public bool FailNext { get; set; }

    public void Ensure(ushort port, IReadOnlyCollection<IPAddress> vteps)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            (Present, Port, Vteps) = (true, port, vteps.ToHashSet());
            Ensures++;
        }
    }

    public void Update(IReadOnlyCollection<IPAddress> vteps)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            if (!Present)
                throw new NetlinkException("update VXLAN guard: table does not exist");
            Vteps = vteps.ToHashSet();
        }
    }

    public VxlanGuardCounters? ReadDropped()
    {
        lock (_gate)
            return Present ? new VxlanGuardCounters(Dropped, Dropped * 100, 0, 0) : null;
    }

    public bool Remove()
    {
        lock (_gate)
        {
            var was = Present;
            (Present, Vteps) = (false, new HashSet<IPAddress>());
            return was;
        }
    }

    /// <summary>As if an operator deleted the table by hand.</summary>
    public void DeleteByHand()
    {
        lock (_gate)
            Present = false;
    }

    private void ThrowIfFailing()
    {
        if (!FailNext)
            return;
        FailNext = false;
        throw new NetlinkException("injected nf_tables failure");
    }

    public void Dispose()
    {
    }
}
