namespace DockerNetPlugin.Store.Local;

/// <summary>
/// An in-process lease of <see cref="FileKvStore"/>. A timer renews it every quarter TTL while the
/// keepalive runs; if the keepalive is stopped (tests, or <see cref="DetachAsync"/>) it expires one TTL after the last renewal.
/// A detached lease is written to the directory's <c>detached-leases</c> file, so a process that opens the store within its
/// TTL may resume it.
/// </summary>
internal sealed class FileLease : ILease
{
    private readonly FileKvStore _store;
    private readonly CancellationTokenSource _lost = new();
    private readonly Timer _timer;
    private long _deadline;
    private volatile bool _keepAlive = true;
    private volatile bool _detached;
    private int _ended;

    public FileLease(FileKvStore store, string id, TimeSpan ttl)
        : this(store, id, ttl, ttl, keepAlive: true)
    {
    }

    /// <summary>A lease that expires in <paramref name="remaining"/> unless kept alive (a detached lease of an earlier process).</summary>
    public FileLease(FileKvStore store, string id, TimeSpan ttl, TimeSpan remaining, bool keepAlive)
    {
        _store = store;
        Id = id;
        GrantedTtl = ttl;
        _keepAlive = keepAlive;
        _detached = !keepAlive;
        _deadline = Environment.TickCount64 + (long)remaining.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Max(50, ttl.TotalMilliseconds / 4));
        _timer = new Timer(_ => Tick(), null, period, period);
    }

    public string Id { get; }
    public TimeSpan GrantedTtl { get; }
    public CancellationToken Lost => _lost.Token;
    internal FileKvStore Store => _store;

    /// <summary>Stops renewing (as if the owner hung): the lease expires one TTL after the last renewal.</summary>
    internal void StopKeepAlive() => _keepAlive = false;

    /// <summary>True while nobody renews it (detached, or stopped by a test) and it has not ended.</summary>
    internal bool IsDetached => _detached && Volatile.Read(ref _ended) == 0;

    /// <summary>When it expires unless renewed, as wall-clock time (what the next process reads).</summary>
    internal DateTimeOffset ExpiresAt => DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(Math.Max(0, Interlocked.Read(ref _deadline) - Environment.TickCount64));

    /// <summary>Renews from now on (a resume).</summary>
    internal void Resume()
    {
        Interlocked.Exchange(ref _deadline, Environment.TickCount64 + (long)GrantedTtl.TotalMilliseconds);
        _detached = false;
        _keepAlive = true;
    }

    public async ValueTask DetachAsync()
    {
        if (_detached || Volatile.Read(ref _ended) != 0)
            return;
        _detached = true;
        _keepAlive = false;
        await _store.RecordDetachedAsync().ConfigureAwait(false);
    }

    /// <summary>Claims the right to end this lease exactly once (revoke, expiry or store shutdown).</summary>
    internal bool TryEnd()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
            return false;
        _timer.Dispose();
        return true;
    }

    internal void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A consumer's callback threw; the lease is lost either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_detached)
            return; // detached: it ends by expiring (or a later resume takes it)
        if (TryEnd())
            await _store.EndLeaseAsync(this, lost: false).ConfigureAwait(false);
    }

    private void Tick()
    {
        var now = Environment.TickCount64;
        if (_keepAlive)
        {
            Interlocked.Exchange(ref _deadline, now + (long)GrantedTtl.TotalMilliseconds);
            return;
        }
        if (now >= Interlocked.Read(ref _deadline) && TryEnd())
            _ = _store.EndLeaseAsync(this, lost: true);
    }
}
