namespace DockerNetPlugin.Store.Local;

/// <summary>
/// An in-process lease of <see cref="FileKvStore"/>. A timer renews it every quarter TTL while the
/// keepalive runs; if the keepalive is stopped (tests) it expires one TTL after the last renewal.
/// </summary>
internal sealed class FileLease : ILease
{
    private readonly FileKvStore _store;
    private readonly CancellationTokenSource _lost = new();
    private readonly Timer _timer;
    private long _deadline;
    private volatile bool _keepAlive = true;
    private int _ended;

    public FileLease(FileKvStore store, string id, TimeSpan ttl)
    {
        _store = store;
        Id = id;
        GrantedTtl = ttl;
        _deadline = Environment.TickCount64 + (long)ttl.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Max(50, ttl.TotalMilliseconds / 4));
        _timer = new Timer(_ => Tick(), null, period, period);
    }

    public string Id { get; }
    public TimeSpan GrantedTtl { get; }
    public CancellationToken Lost => _lost.Token;
    internal FileKvStore Store => _store;

    /// <summary>Stops renewing (as if the owner hung): the lease expires one TTL after the last renewal.</summary>
    internal void StopKeepAlive() => _keepAlive = false;

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
