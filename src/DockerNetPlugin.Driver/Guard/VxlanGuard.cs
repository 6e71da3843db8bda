using System.Net;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Nftables;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Guard;

/// <summary>
/// Keeps the VXLAN port guard (<see cref="VxlanGuardTable"/>: drop UDP to the VXLAN port unless the source is a VTEP of
/// a live cluster host) in step with the <see cref="HostDirectory"/>: updated from the <c>hosts/</c> watch as hosts come
/// and go (this host's own locator included), its drop counters read for <c>dnp status</c>.
/// <para>
/// Lifetime: the guard exists while this host has any dnp network (<see cref="Sync"/>): it is built when the first one is
/// created (before any Join can make a VXLAN device, so the port is never open to strangers while dnp listens on it)
/// and at start when networks were restored; it is removed when the last one is deleted. Removing the plugin (the
/// managed plugin's <c>docker plugin rm</c>, or stopping and uninstalling the systemd service) requires its networks
/// gone first (Docker refuses to disable a network plugin in use), so the guard goes with the last network. It
/// outlives plugin restarts and crashes on purpose: the VXLAN devices stay up then, so the port stays guarded.
/// A kernel failure is logged and shown in the status; the next host change or reconcile pass tries again.
/// </para>
/// </summary>
public sealed class VxlanGuard : IDisposable
{
    private readonly IVxlanGuardKernel _kernel;
    private readonly HostDirectory _hosts;
    private readonly ushort _port;
    private readonly ILogger _logger;

    // Guards the kernel calls and the fields below (one transaction at a time). Bottom level: logging happens outside.
    private readonly Lock _gate = new();
    private bool _wanted;
    private bool _ensured;
    private string? _problem;
    private int _vteps;
    private bool _removedOnce;
    private readonly Func<IEnumerable<System.Net.IPAddress>> _kept;
    private HashSet<System.Net.IPAddress> _applied = []; // the VTEPs last put into the kernel; guarded by _gate

    /// <param name="kept">
    /// VTEPs of hosts whose records this host still programs although their host record went: a host whose lease lapsed
    /// but that still answers on the underlay (store-unreachable) keeps its VXLAN flowing.
    /// </param>
    internal VxlanGuard(IVxlanGuardKernel kernel, HostDirectory hosts, ushort port, ILogger logger, Func<IEnumerable<System.Net.IPAddress>>? kept = null)
    {
        _kernel = kernel;
        _hosts = hosts;
        _port = port;
        _logger = logger;
        _kept = kept ?? (() => []);
    }

    /// <summary>The VTEPs let in: the registered hosts' and those of hosts kept while their lease lapsed.</summary>
    private List<System.Net.IPAddress> AllowedVteps() => _hosts.Snapshot().Values.Concat(_kept()).Distinct().ToList();

    /// <summary>The peers this host programs changed (a host kept or dropped): the allowed VTEPs follow, if they changed.</summary>
    internal void PeersChanged() => HostsChangedAsync(CancellationToken.None);

    /// <summary>
    /// Whether this host has any dnp network now: the guard is built (or checked) when it does, removed when it does
    /// not. <paramref name="rebuild"/> re-runs Ensure even when it was done (the reconciler, after a table went missing).
    /// </summary>
    public void Sync(Func<bool> anyNetworkNow, bool rebuild = false)
    {
        ArgumentNullException.ThrowIfNull(anyNetworkNow);
        var vteps = AllowedVteps();
        string? failure = null;
        bool? removed = null;
        lock (_gate)
        {
            // Read under the gate: of two racing calls (a create and a delete), the later one sees the later state.
            var anyNetwork = anyNetworkNow();
            _wanted = anyNetwork;
            try
            {
                if (anyNetwork && (rebuild || !_ensured))
                {
                    _kernel.Ensure(_port, vteps);
                    (_ensured, _problem, _vteps, _applied) = (true, null, vteps.Count, [.. vteps]);
                }
                else if (!anyNetwork && (_ensured || _problem is not null || !_removedOnce))
                {
                    removed = _kernel.Remove();
                    _removedOnce = true;
                    (_ensured, _problem, _vteps) = (false, null, 0);
                }
            }
            catch (Exception e) when (e is NetlinkException or NftTableNotOursException)
            {
                _ensured = false;
                _problem = failure = e.Message;
            }
        }
        Log(failure, removed, vteps.Count);
    }

    /// <summary>The live hosts changed (a <see cref="Cluster.HostWatch"/> subscriber): the allowed VTEPs follow.</summary>
    internal Task HostsChangedAsync(CancellationToken ct)
    {
        var vteps = AllowedVteps();
        string? failure = null;
        lock (_gate)
        {
            if (!_wanted || (_ensured && _applied.SetEquals(vteps)))
                return Task.CompletedTask;
            try
            {
                if (_ensured)
                    _kernel.Update(vteps);
                else
                    _kernel.Ensure(_port, vteps);
                (_ensured, _problem, _vteps, _applied) = (true, null, vteps.Count, [.. vteps]);
            }
            catch (Exception e) when (e is NetlinkException or NftTableNotOursException)
            {
                _ensured = false;
                _problem = failure = e.Message;
            }
        }
        Log(failure, null, vteps.Count);
        return Task.CompletedTask;
    }

    private void Log(string? failure, bool? removed, int vteps)
    {
        if (failure is not null)
            GuardLog.Failed(_logger, _port, failure);
        else if (removed is { } r)
            GuardLog.Removed(_logger, _port, r);
        else
            GuardLog.Updated(_logger, _port, vteps);
    }

    /// <summary>For <c>dnp status</c>: whether the guard is in place, how many VTEPs it allows, what it dropped.</summary>
    public VxlanGuardStatus Status()
    {
        lock (_gate)
        {
            if (!_wanted)
                return new VxlanGuardStatus(true, "idle", _port, 0, 0, 0, "no dnp network on this host: nothing listens for dnp on the VXLAN port");
            if (!_ensured)
                return new VxlanGuardStatus(true, "failed", _port, 0, 0, 0, _problem);
            try
            {
                var dropped = _kernel.ReadDropped();
                return dropped is null
                    ? new VxlanGuardStatus(true, "missing", _port, _vteps, 0, 0, "the guard table is gone (deleted by hand?); the next reconcile pass rebuilds it")
                    : new VxlanGuardStatus(true, "active", _port, _vteps, dropped.Packets, dropped.Bytes, null);
            }
            catch (NetlinkException e)
            {
                return new VxlanGuardStatus(true, "unknown", _port, _vteps, 0, 0, e.Message);
            }
        }
    }

    /// <summary>True when the guard should be in place but is not (failed, or its table is gone): the reconciler's drift.</summary>
    public bool NeedsRepair()
    {
        lock (_gate)
        {
            if (!_wanted)
                return false;
            if (!_ensured)
                return true;
            try
            {
                return _kernel.ReadDropped() is null;
            }
            catch (NetlinkException)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// With <c>DNP_VXLAN_GUARD=off</c>: removes a guard table of ours that an earlier run left (true when one was).
    /// </summary>
    internal static bool RemoveLeftover(IVxlanGuardKernel kernel, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var removed = kernel.Remove();
        GuardLog.Off(logger, removed);
        return removed;
    }

    public void Dispose() => _kernel.Dispose();
}

/// <summary>The VXLAN guard in <c>dnp status</c>: state (active, off, failed, missing, unknown), port, VTEPs allowed, drops.</summary>
public sealed record VxlanGuardStatus(bool Enabled, string State, ushort Port, int Vteps, ulong DroppedPackets, ulong DroppedBytes, string? Problem)
{
    public static VxlanGuardStatus Off(ushort port) => new(false, "off", port, 0, 0, 0, null);
}

internal static partial class GuardLog
{
    [LoggerMessage(2950, LogLevel.Information, "VXLAN guard on UDP {Port}: {Count} VTEPs allowed")]
    public static partial void Updated(ILogger logger, ushort port, int count);

    [LoggerMessage(2953, LogLevel.Information, "VXLAN guard on UDP {Port}: this host has no dnp network left, guard table removed: {Removed}")]
    public static partial void Removed(ILogger logger, ushort port, bool removed);

    [LoggerMessage(2951, LogLevel.Error, "VXLAN guard on UDP {Port} could not be put in place: {Error}; VXLAN from strangers is not dropped until it is")]
    public static partial void Failed(ILogger logger, ushort port, string error);

    [LoggerMessage(2952, LogLevel.Information, "VXLAN guard is off (DNP_VXLAN_GUARD=off); a guard table of ours was removed: {Removed}")]
    public static partial void Off(ILogger logger, bool removed);
}
