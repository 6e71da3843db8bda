using DockerNetPlugin.Store;

namespace DockerNetPlugin.Ipam.Tests.Fakes;

/// <summary>
/// Wraps a real store and lets a test inject faults: fail calls with <see cref="StoreUnavailableException"/>,
/// or run a competing write just before each compare-and-set/commit (forcing conflicts).
/// </summary>
internal sealed class FaultyKvStore(IKvStore inner) : IKvStore
{
    /// <summary>While true, every call fails as an unreachable store would.</summary>
    public bool Unavailable { get; set; }

    /// <summary>Runs before each CompareAndSet/Commit reaches the real store.</summary>
    public Func<Task>? BeforeWrite { get; set; }

    public string Description => $"faulty({inner.Description})";

    public Task<KvEntry?> GetAsync(string key, CancellationToken ct) => Guard(() => inner.GetAsync(key, ct));

    public Task<KvSnapshot> ListAsync(string prefix, CancellationToken ct) => Guard(() => inner.ListAsync(prefix, ct));

    public Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct) =>
        Guard(() => inner.PutAsync(key, value, lease, ct));

    public async Task<CasResult> CompareAndSetAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, ILease? lease, CancellationToken ct)
    {
        await Interfere();
        return await Guard(() => inner.CompareAndSetAsync(key, value, expectedVersion, lease, ct));
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct) => Guard(() => inner.DeleteAsync(key, ct));

    public Task<bool> CompareAndDeleteAsync(string key, ulong expectedVersion, CancellationToken ct) =>
        Guard(() => inner.CompareAndDeleteAsync(key, expectedVersion, ct));

    public async Task<bool> CommitAsync(IReadOnlyList<KvOp> ops, CancellationToken ct)
    {
        await Interfere();
        return await Guard(() => inner.CommitAsync(ops, ct));
    }

    public IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, ulong fromRevision, CancellationToken ct) =>
        inner.WatchPrefixAsync(prefix, fromRevision, ct);

    public Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct) => Guard(() => inner.GrantLeaseAsync(ttl, ct));

    public Task<ILease?> ResumeLeaseAsync(string id, TimeSpan ttl, CancellationToken ct) => Guard(() => inner.ResumeLeaseAsync(id, ttl, ct));

    public Task<StoreHealth> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the inner store belongs to the test fixture

    private async Task Interfere()
    {
        if (BeforeWrite is { } write)
            await write();
    }

    private Task<T> Guard<T>(Func<Task<T>> call) =>
        Unavailable ? Task.FromException<T>(new StoreUnavailableException($"{Description}: injected outage")) : call();
}
