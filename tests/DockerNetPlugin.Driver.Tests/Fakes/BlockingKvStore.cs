using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>
/// Passes every call to a real store, except that writes and deletes of keys matching <see cref="Hold"/> wait until
/// the test releases them (or the caller gives up): a store outage as one caller sees it (its write hangs, as against
/// silent etcd members), while the rest of the store answers.
/// </summary>
internal sealed class BlockingKvStore(IKvStore inner) : IKvStore
{
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<string, bool> Hold { get; set; } = _ => false;

    /// <summary>Writes and deletes of keys matching this fail at once, as a store that refuses them.</summary>
    public Func<string, bool> Fail { get; set; } = _ => false;

    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    public void Reset() => _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Description => inner.Description;

    public Task<KvEntry?> GetAsync(string key, CancellationToken ct) => inner.GetAsync(key, ct);

    public Task<KvSnapshot> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);

    public async Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct)
    {
        if (Fail(key))
            throw new StoreUnavailableException($"injected: put of {key} refused");
        if (Hold(key))
        {
            Held.TrySetResult();
            await _release.Task.WaitAsync(ct);
        }
        return await inner.PutAsync(key, value, lease is LosableLease l ? l.Inner : lease, ct);
    }

    public Task<CasResult> CompareAndSetAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, ILease? lease, CancellationToken ct) =>
        inner.CompareAndSetAsync(key, value, expectedVersion, lease is LosableLease l ? l.Inner : lease, ct);

    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        if (Fail(key))
            throw new StoreUnavailableException($"injected: delete of {key} refused");
        if (Hold(key))
        {
            Held.TrySetResult();
            await _release.Task.WaitAsync(ct);
        }
        return await inner.DeleteAsync(key, ct);
    }

    public Task<bool> CompareAndDeleteAsync(string key, ulong expectedVersion, CancellationToken ct) => inner.CompareAndDeleteAsync(key, expectedVersion, ct);

    public Task<bool> CommitAsync(IReadOnlyList<KvOp> ops, CancellationToken ct) => inner.CommitAsync(ops, ct);

    public IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, ulong fromRevision, CancellationToken ct) => inner.WatchPrefixAsync(prefix, fromRevision, ct);

    /// <summary>Every lease granted through this store, newest last; <see cref="LosableLease.Lose"/> fires its Lost token.</summary>
    public List<LosableLease> Leases { get; } = [];

    /// <summary>While set, granting a lease fails as an unreachable store would.</summary>
    public bool RefuseLeases { get; set; }

    public async Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct)
    {
        if (RefuseLeases)
            throw new StoreUnavailableException("injected: store unreachable");
        var lease = new LosableLease(await inner.GrantLeaseAsync(ttl, ct));
        lock (Leases)
            Leases.Add(lease);
        return lease;
    }

    public async Task<ILease?> ResumeLeaseAsync(string id, TimeSpan ttl, CancellationToken ct) =>
        await inner.ResumeLeaseAsync(id, ttl, ct) is { } resumed ? new LosableLease(resumed) : null;

    public Task<StoreHealth> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A real lease whose loss the test can announce (as a store does after an outage longer than the TTL).</summary>
internal sealed class LosableLease(ILease inner) : ILease
{
    private readonly CancellationTokenSource _lost = new();

    public string Id => inner.Id;
    public TimeSpan GrantedTtl => inner.GrantedTtl;
    public CancellationToken Lost => _lost.Token;
    public ILease Inner => inner;

    public void Lose() => _lost.Cancel();

    public ValueTask DetachAsync() => inner.DetachAsync();

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _lost.Dispose();
    }
}
