using DockerNetPlugin.Netlink;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>An endpoint's veth pair to delete: its overlay namespace, both ends' names, and its MAC (the container end's).</summary>
internal sealed record DoomedVeth(string SandboxPath, string ContainerSide, string SandboxSide, string Mac);

/// <summary>
/// Deletes the veth pairs of endpoints that left, off the plugin calls' path. Deleting a veth waits in the kernel for an
/// RCU grace period (about 15 ms), longer than everything else Leave does: Leave and DeleteEndpoint write what must be
/// durable (the endpoint's local state, the withdraw mark), hand the pair here and reply. One worker (supervised loop
/// <c>veth-reaper</c>) deletes them in order, each through a netlink socket of its own in the overlay namespace
/// (<see cref="IDataPlane.DeleteVeth"/>), so the network's socket and kernel gate stay free meanwhile.
/// <list type="bullet">
/// <item>A pair is pending from <see cref="Schedule"/> until its deletion ended, whoever ran it: the reconciler and
/// <c>dnp doctor</c> take <see cref="PendingNames"/> before they read the kernel and do not call those devices leaks.</item>
/// <item>A Join whose devices would collide with a pending pair (the same names, or the same MAC on the same bridge)
/// settles it first (<see cref="SettleAsync"/>): a queued one it deletes itself, a running one it waits for. So a
/// deletion never removes what a later Join made.</item>
/// <item>A deletion that fails is logged and dropped: the reconciler finds the devices (veth-stale, device-stale) and
/// deletes them.</item>
/// <item>A stop finishes the queue within a bound (<see cref="DisposeAsync"/>); what is left, the reconciler of the next
/// start finds as above (the endpoint's state, written before the reply, no longer claims the devices).</item>
/// </list>
/// </summary>
internal sealed class VethReaper : IAsyncDisposable
{
    private static readonly TimeSpan s_stopBound = TimeSpan.FromSeconds(5);

    private readonly IDataPlane _dataPlane;
    private readonly ILogger _logger;
    private readonly Trust.LoopSupervisor _loops;

    // Bottom level: guards _pending and _order; never held across a kernel call, a log line or an await.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _pending = new(StringComparer.Ordinal); // by sandbox-side name: queued or running
    private readonly Queue<Entry> _order = new(); // queued entries in arrival order (settled ones are skipped when met)
    private readonly SemaphoreSlim _wake = new(0);
    private Trust.SupervisedLoop? _loop;

    public VethReaper(IDataPlane dataPlane, Trust.LoopSupervisor loops, ILogger logger)
    {
        _dataPlane = dataPlane;
        _loops = loops;
        _logger = logger;
    }

    /// <summary>Starts the worker (once).</summary>
    public void Start() => _loop ??= _loops.Start("veth-reaper", RunAsync);

    /// <summary>Pairs not deleted yet (queued or running).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    /// <summary>Hands a pair to the worker; a pair already pending under the same name stays as it is.</summary>
    public void Schedule(DoomedVeth veth)
    {
        ArgumentNullException.ThrowIfNull(veth);
        lock (_gate)
        {
            if (_pending.ContainsKey(veth.SandboxSide))
                return;
            var entry = new Entry(veth);
            _pending[veth.SandboxSide] = entry;
            _order.Enqueue(entry);
        }
        _wake.Release();
    }

    /// <summary>
    /// Both ends' names of every pending pair. Readers of the kernel take this before they read it: a pair deleted after
    /// this snapshot was in it, a pair scheduled after it was not yet forgotten by its endpoint when they looked.
    /// </summary>
    public IReadOnlySet<string> PendingNames()
    {
        lock (_gate)
            return _pending.Values.SelectMany(e => new[] { e.Veth.ContainerSide, e.Veth.SandboxSide }).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Makes sure no pending pair matching <paramref name="collides"/> is left: queued ones are deleted here and now,
    /// running ones waited for. Called by a Join (under its network's lock) before it creates its devices.
    /// </summary>
    public async Task SettleAsync(Func<DoomedVeth, bool> collides, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(collides);
        List<Entry> mine = [];
        List<Task> theirs = [];
        lock (_gate)
        {
            foreach (var entry in _pending.Values.Where(e => collides(e.Veth)))
            {
                if (entry.Running)
                    theirs.Add(entry.Done.Task);
                else
                {
                    entry.Running = true;
                    mine.Add(entry);
                }
            }
        }
        foreach (var entry in mine)
            Delete(entry);
        if (theirs.Count > 0)
            await Task.WhenAll(theirs).WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (true)
        {
            while (Next() is { } entry) // first: a restarted loop finds what its predecessor left queued
                Delete(entry);
            await _wake.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The oldest queued entry, now running; null when none is queued.</summary>
    private Entry? Next()
    {
        lock (_gate)
        {
            while (_order.TryDequeue(out var entry))
            {
                if (entry.Running)
                    continue; // settled by a Join meanwhile
                entry.Running = true;
                return entry;
            }
            return null;
        }
    }

    private void Delete(Entry entry)
    {
        var veth = entry.Veth;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _dataPlane.DeleteVeth(veth.SandboxPath, veth.ContainerSide, veth.SandboxSide);
            DriverLog.VethDeleted(_logger, veth.SandboxSide, Path.GetFileName(veth.SandboxPath), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is DriverException or NetlinkException or IOException or UnauthorizedAccessException)
        {
            DriverLog.VethDeleteFailed(_logger, veth.SandboxSide, Path.GetFileName(veth.SandboxPath), e.Message);
        }
        finally
        {
            lock (_gate)
                _pending.Remove(veth.SandboxSide);
            entry.Done.TrySetResult();
        }
    }

    /// <summary>Waits (bounded) for the pending deletions to finish, then stops the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (_gate)
            pending = _pending.Values.Select(e => e.Done.Task).ToArray();
        if (pending.Length > 0 && _loop is not null)
        {
            try
            {
                await Task.WhenAll(pending).WaitAsync(s_stopBound).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                DriverLog.VethDeletesLeft(_logger, Count, s_stopBound.TotalSeconds);
            }
        }
        if (_loop is not null)
            await _loops.StopAsync(_loop).ConfigureAwait(false);
        // _wake is not disposed: a Leave racing the stop may still schedule (its pair is then left to the next start).
    }

    private sealed class Entry(DoomedVeth veth)
    {
        public DoomedVeth Veth { get; } = veth;

        /// <summary>Taken by the worker or a settling Join. Guarded by the reaper's gate.</summary>
        public bool Running { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
