using System.Net;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Driver.Guard;

/// <summary>
/// The kernel half of the VXLAN guard as the driver sees it (nf_tables in the host namespace through
/// <see cref="VxlanGuardTable"/>; tests use an in-memory one). Calls are synchronous netlink transactions.
/// </summary>
internal interface IVxlanGuardKernel : IDisposable
{
    /// <summary>The guard exists for <paramref name="port"/> with exactly <paramref name="vteps"/> allowed.</summary>
    void Ensure(ushort port, IReadOnlyCollection<IPAddress> vteps);

    /// <summary>Replaces the allowed VTEPs of an existing guard.</summary>
    void Update(IReadOnlyCollection<IPAddress> vteps);

    /// <summary>What the guard dropped since it was built; null when there is none.</summary>
    VxlanGuardCounters? ReadDropped();

    /// <summary>Deletes the guard if it is ours (its marker); true when one was deleted.</summary>
    bool Remove();
}

/// <summary>The guard through nf_tables in the host namespace, owned by this host's id (the table's marker).</summary>
internal sealed class NetlinkVxlanGuardKernel : IVxlanGuardKernel
{
    private readonly NftHandle _handle;
    private readonly VxlanGuardTable _table;

    private NetlinkVxlanGuardKernel(NftHandle handle, string owner)
    {
        _handle = handle;
        _table = new VxlanGuardTable(handle, owner);
    }

    public static NetlinkVxlanGuardKernel OpenHost(string owner) => new(NftHandle.OpenHost(), owner);

    public void Ensure(ushort port, IReadOnlyCollection<IPAddress> vteps) => _table.Ensure(port, vteps);

    public void Update(IReadOnlyCollection<IPAddress> vteps) => _table.UpdateVteps(vteps);

    public VxlanGuardCounters? ReadDropped() => _table.ReadDropped();

    public bool Remove() => _table.Remove();

    public void Dispose() => _handle.Dispose();
}

/// <summary>A host whose kernel has no nf_tables (or denies it): every call fails with the reason, so status and log say so.</summary>
internal sealed class UnavailableGuardKernel(string reason) : IVxlanGuardKernel
{
    private Netlink.NetlinkException Fail() => new($"nf_tables is not available: {reason}");

    public void Ensure(ushort port, IReadOnlyCollection<IPAddress> vteps) => throw Fail();

    public void Update(IReadOnlyCollection<IPAddress> vteps) => throw Fail();

    public VxlanGuardCounters? ReadDropped() => throw Fail();

    public bool Remove() => false;

    public void Dispose()
    {
    }
}
