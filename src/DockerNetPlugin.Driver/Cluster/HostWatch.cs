using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The one watch of host records (both key layouts, merged by <see cref="LayoutMerge"/>) of this host: keeps the
/// <see cref="HostDirectory"/> (the live hosts' validated locators and key layouts) equal to the store and tells every
/// subscriber when a locator or a layout appeared, changed or went. Endpoint admission (a
/// record's locator must be its host's) subscribes; so can anything else that needs the live hosts (the VXLAN guard's
/// VTEP set, liveness checks) — subscribe here instead of opening a second watch. <see cref="RunAsync"/> is a loop body
/// for the <see cref="LoopSupervisor"/>.
/// </summary>
internal sealed class HostWatch
{
    private readonly IKvStore _store;
    private readonly HostDirectory _directory;
    private readonly RecordRestorer _restorer;
    private readonly ILogger _logger;

    // Guards _subscribers. Bottom level: subscribers are called outside it.
    private readonly Lock _gate = new();
    private readonly List<Func<CancellationToken, Task>> _subscribers = [];

    /// <param name="restorer">Told of every change under <c>hosts/</c>, so this host's own record goes back at once when a stranger deleted or overwrote it.</param>
    public HostWatch(IKvStore store, HostDirectory directory, RecordRestorer restorer, ILogger logger)
    {
        _store = store;
        _directory = directory;
        _restorer = restorer;
        _logger = logger;
    }

    public HostDirectory Directory => _directory;

    /// <summary>Calls <paramref name="changed"/> (on the watch's loop) after each change of the live hosts' locators.</summary>
    public void Subscribe(Func<CancellationToken, Task> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
            _subscribers.Add(changed);
    }

    /// <summary>One full read before the watch starts (at start-up, so endpoint records meet a known set of hosts).</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        _directory.ReplaceAll(await LayoutMerge.ListAsync(_store, OwnedKind.Host, ct).ConfigureAwait(false));
    }

    /// <summary>The watch, until <paramref name="ct"/> is cancelled. Store outages are waited out here; anything else goes to the supervisor.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var ev in LayoutMerge.WatchAsync(_store, OwnedKind.Host, ct, _restorer.Seen).ConfigureAwait(false))
                {
                    var changed = ev switch
                    {
                        KvResync resync => _directory.ReplaceAll(resync.Snapshot.Entries),
                        KvPut put => _directory.Apply(put.Entry),
                        KvDeleted deleted => _directory.Remove(deleted.Key),
                        _ => false,
                    };
                    if (changed)
                        await NotifyAsync(ct).ConfigureAwait(false);
                }
            }
            catch (StoreException e)
            {
                DriverLog.WatchFailed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task NotifyAsync(CancellationToken ct)
    {
        List<Func<CancellationToken, Task>> subscribers;
        lock (_gate)
            subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers)
            await subscriber(ct).ConfigureAwait(false);
    }
}
