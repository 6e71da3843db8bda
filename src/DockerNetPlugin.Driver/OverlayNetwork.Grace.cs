using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Driver;

/// <summary>
/// The overlay namespace's grace period (DNP_NETNS_GRACE): after the last endpoint is deleted the namespace stays open
/// (peers kept current by the watch) so back-to-back containers reuse it instead of rebuilding it. A Join within the
/// grace takes it over; when the grace ends a timer removes it under the network's lock; DeleteNetwork removes it at
/// once; a restarted plugin gives a namespace it finds without endpoints a new grace; the reconciler removes one whose
/// grace has passed. All state here is changed by holders of the network's lock only.
/// </summary>
internal sealed partial class OverlayNetwork
{
    /// <summary>UTC ticks when the kept namespace goes; 0 while not in grace. Written under the lock, read by status without it.</summary>
    private long _graceUntilTicks;

    /// <summary>Cancels the pending removal of a namespace in grace (never disposed: a cancelled source holds nothing).</summary>
    private CancellationTokenSource? _graceTimer;

    /// <summary>When the namespace kept after the last endpoint will be removed; null when it is not in grace.</summary>
    public DateTimeOffset? GraceUntil => Volatile.Read(ref _graceUntilTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The last endpoint is gone: keep the namespace for the grace period, or remove it now (grace 0, or none open).</summary>
    private void ReleaseSandbox()
    {
        var grace = _services.Options.NetnsGrace;
        if (grace <= TimeSpan.Zero || !SandboxOpen)
        {
            DestroySandbox();
            return;
        }
        StartGrace(grace);
    }

    private void StartGrace(TimeSpan grace)
    {
        CancelGrace();
        var timer = new CancellationTokenSource();
        _graceTimer = timer;
        Volatile.Write(ref _graceUntilTicks, (DateTimeOffset.UtcNow + grace).UtcTicks);
        DriverLog.SandboxGrace(_services.Logger, Network.SandboxName, grace.TotalSeconds);
        _ = RemoveAfterGraceAsync(grace, timer);
    }

    /// <summary>A Join (or the network's removal) takes the namespace out of grace.</summary>
    private void CancelGrace()
    {
        Volatile.Write(ref _graceUntilTicks, 0);
        Interlocked.Exchange(ref _graceTimer, null)?.Cancel(); // not disposed: the waiting task may still read its token
    }

    private async Task RemoveAfterGraceAsync(TimeSpan grace, CancellationTokenSource timer)
    {
        try
        {
            await Task.Delay(grace, timer.Token).ConfigureAwait(false);
            using (await LockAsync(timer.Token).ConfigureAwait(false))
            {
                if (!ReferenceEquals(_graceTimer, timer) || _endpoints.Count > 0)
                    return; // taken over by a Join, or removed with the network, while this waited for the lock
                DestroySandbox();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is DriverException or NetlinkException or IOException)
        {
            DriverLog.SandboxGraceFailed(_services.Logger, Network.SandboxName, e.Message);
        }
    }

    /// <summary>
    /// After a restart, a network without endpoints whose namespace is still mounted was in its grace period when the
    /// plugin stopped: it gets a new one (the reconciler removes it if that cannot be done). The caller holds the lock.
    /// </summary>
    private void ResumeGrace()
    {
        var grace = _services.Options.NetnsGrace;
        if (_endpoints.Count > 0 || grace <= TimeSpan.Zero)
            return;
        var path = _services.SandboxPath(Network);
        if (!_services.DataPlane.ListSandboxes(Path.GetDirectoryName(path)!).Contains(path, StringComparer.Ordinal))
            return;
        EnsureSandbox();
        StartGrace(grace);
    }

    /// <summary>True when the namespace is open, has no endpoint and its grace ended (the timer's removal failed or was lost).</summary>
    private bool GraceExpired(DateTimeOffset now) => _endpoints.Count == 0 && GraceUntil is { } until && until <= now && SandboxOpen;
}
