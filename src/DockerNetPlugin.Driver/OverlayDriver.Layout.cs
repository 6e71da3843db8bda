using System.Threading.Channels;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver;

/// <summary>
/// The key layout of what this host owns (<see cref="WriteLayout"/>, DNP_KEY_LAYOUT): its memberships (written here;
/// the host record and endpoint records go through the <see cref="LeaseKeeper"/>), and moving its records when the
/// layout changes (auto: once every live host reads the by-host layout, its legacy copies go). A move runs on a loop
/// of its own ("key-layout"), so the host watch never waits for the store writes it takes.
/// </summary>
public sealed partial class OverlayDriver
{
    private volatile bool _layoutPending; // a move failed (store out): the next change of hosts or reconcile pass tries again
    private volatile bool _layoutMoving; // the layout changed and its move has not finished yet
    private volatile bool _moveRunning; // the move loop is moving records now

    /// <summary>
    /// The write layout changed and this host's records are not all where it writes now yet (the move is queued,
    /// running or failed): the reconciliation leaves the copies of its own records to the move meanwhile.
    /// </summary>
    private bool LayoutSettling => _layoutPending || _layoutMoving;
    private string _unservedWarned = ""; // host mode: the legacy-only hosts last warned about (the host watch's loop only)

    // One pending "move the records" signal; more while one is pending are the same request.
    private readonly Channel<bool> _layoutMoves = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Where this host writes what it owns now (tests and diagnostics).</summary>
    internal WriteLayout KeyLayout => _layout;

    /// <summary>After the live hosts changed (the host watch's subscriber): asks the move loop to move this host's records if the write layout changed.</summary>
    private Task HostsChangedAsync(CancellationToken ct)
    {
        var layouts = _hosts.Directory.Layouts();
        _layoutMoving = true; // before the switch: a reconciliation must never see the new layout without its move pending
        if (!_layout.Update(layouts))
        {
            _layoutMoving = _layoutPending || _moveRunning; // no switch: as it was
        }
        else
        {
            var old = layouts.Where(kv => !kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
            LayoutLog.Writing(_logger, _layout.Mode, Where(), old.Count > 0
                ? $"host(s) {string.Join(", ", old)} read only the legacy layout"
                : "every live host reads the by-host layout");
            _layoutPending = true;
        }
        if (_layout.Mode == KeyLayoutMode.Host)
        {
            var unserved = string.Join(", ", layouts.Where(kv => !kv.Value && kv.Key != _options.HostId).Select(kv => kv.Key).Order(StringComparer.Ordinal));
            if (unserved.Length > 0 && unserved != _unservedWarned)
                LayoutLog.LegacyReadersUnserved(_logger, unserved);
            _unservedWarned = unserved;
        }
        RequestMoveIfPending();
        return Task.CompletedTask;
    }

    /// <summary>A move is wanted (the layout changed, or an earlier move failed): the move loop runs it.</summary>
    private void RequestMoveIfPending()
    {
        if (_layoutPending)
            _layoutMoves.Writer.TryWrite(true);
    }

    /// <summary>The "key-layout" loop: one move per request.</summary>
    private async Task MoveLoopAsync(CancellationToken ct)
    {
        await foreach (var _ in _layoutMoves.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            await MoveRecordsAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes every record this host owns where the layout writes now and deletes its copies elsewhere; a store failure leaves it pending.</summary>
    private async Task MoveRecordsAsync(CancellationToken ct)
    {
        _moveRunning = true;
        try
        {
            _layoutPending = false;
            await _lease.ApplyLayoutAsync(ct).ConfigureAwait(false);
            foreach (var id in _networks.Keys.ToList())
            {
                // Under the network's lock: a DeleteNetwork meanwhile must not find its membership written again.
                if (await LockNetworkAsync(id, ct).ConfigureAwait(false) is not { } locked)
                    continue;
                using (locked.Release)
                {
                    var network = locked.Network;
                    var (key, membership) = MembershipRecord(network.LogicalId, network.DockerNetworkId);
                    await PutOwnedAsync(key, membership, ct).ConfigureAwait(false);
                    foreach (var retired in _layout.Retired(key))
                        await _cluster.DeleteAsync(retired, ct).ConfigureAwait(false);
                }
            }
            _layoutMoving = _layoutPending; // another change meanwhile: its move follows
        }
        catch (StoreException e)
        {
            _layoutPending = true;
            LayoutLog.MoveFailed(_logger, Where(), e.Message);
        }
        finally
        {
            _moveRunning = false;
        }
    }

    /// <summary>A record this host owns that is not held by its lease (a membership), written where the layout says.</summary>
    private async Task PutOwnedAsync(string logicalKey, ReadOnlyMemory<byte> membership, CancellationToken ct)
    {
        foreach (var target in _layout.Targets(logicalKey))
            await _cluster.Store.PutAsync(target, membership, null, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes every copy of a record this host owns (see <see cref="WriteLayout.Copies"/>).</summary>
    private async Task DeleteOwnedAsync(string logicalKey, CancellationToken ct)
    {
        foreach (var copy in _layout.Copies(logicalKey))
            await _cluster.DeleteAsync(copy, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a record another host owns (<c>dnp forget-host</c>), in the layout it was found in. A per-host credential
    /// may not delete under another host's segment: then the key stays, and the log says so (its lease-held records
    /// went with the lease anyway; readers drop a forgotten host's entries by its forgotten-hosts mark).
    /// </summary>
    private async Task<bool> DeleteForeignAsync(string key, CancellationToken ct)
    {
        try
        {
            return await _cluster.DeleteAsync(key, ct).ConfigureAwait(false);
        }
        catch (StoreAuthException e)
        {
            LayoutLog.ForeignDeleteRefused(_logger, key, e.Message);
            return false;
        }
    }

    private string Where() => (_layout.WritesByHost, _layout.WritesLegacy) switch
    {
        (true, true) => $"under {ClusterKeys.ByHostPrefixOf(_options.HostId)} and in the legacy layout",
        (true, false) => $"under {ClusterKeys.ByHostPrefixOf(_options.HostId)} only",
        _ => "in the legacy layout only",
    };
}
