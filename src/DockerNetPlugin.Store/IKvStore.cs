namespace DockerNetPlugin.Store;

/// <summary>
/// The one contract between the plugin and its key-value store (kv.md §4). Nothing outside this
/// project talks to a backend. Versions are opaque, non-zero while a key exists and strictly
/// increasing per key; 0 means "absent" in compare calls. Keys must come from <see cref="KeyLayout"/>
/// (alphabet <c>[a-z0-9_-]</c> segments joined by <c>/</c>); anything else is refused client-side.
/// Every transient failure surfaces as <see cref="StoreUnavailableException"/> within a bounded time.
/// </summary>
public interface IKvStore : IAsyncDisposable
{
    /// <summary>A human-readable name of the backend and address, safe to log (no secrets).</summary>
    string Description { get; }

    Task<KvEntry?> GetAsync(string key, CancellationToken ct);

    /// <summary>All keys under <paramref name="prefix"/> (which ends in '/'), sorted, plus the revision the list reflects.</summary>
    Task<KvSnapshot> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Unconditional write; returns the key's new version.</summary>
    Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct);

    /// <summary>Write only if the key's version equals <paramref name="expectedVersion"/> (0 = must not exist).</summary>
    Task<CasResult> CompareAndSetAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, ILease? lease, CancellationToken ct);

    /// <summary>Delete; true if the key existed (best effort on Consul).</summary>
    Task<bool> DeleteAsync(string key, CancellationToken ct);

    /// <summary>Delete only if the key's version equals <paramref name="expectedVersion"/> (must be &gt; 0).</summary>
    Task<bool> CompareAndDeleteAsync(string key, ulong expectedVersion, CancellationToken ct);

    /// <summary>
    /// Atomic all-or-nothing multi-key write (at most <see cref="KvLimits.MaxTransactionOps"/> ops, unique keys).
    /// Returns false (and changes nothing) when any compare fails.
    /// </summary>
    Task<bool> CommitAsync(IReadOnlyList<KvOp> ops, CancellationToken ct);

    /// <summary>
    /// Level-triggered prefix watch. Starts with <see cref="KvResync"/> unless <paramref name="fromRevision"/> &gt; 0
    /// and the backend can resume exactly from there. Per key, states arrive in increasing version order;
    /// intermediate states may be skipped; deletes are always reported; a <see cref="KvResync"/> is sent
    /// whenever continuity is lost (compaction, index reset, slow consumer, reconnect without history).
    /// The enumeration survives transient outages by itself and ends only when <paramref name="ct"/> fires.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, ulong fromRevision, CancellationToken ct);

    /// <summary>Grant a lease kept alive in the background until disposed (dispose = revoke, keys vanish).</summary>
    Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct);

    /// <summary>
    /// Take over a lease granted earlier (by this client or by an earlier process, see <see cref="ILease.DetachAsync"/>)
    /// and keep it alive from now on: its keys stay where they are, nobody sees a delete. <paramref name="ttl"/> is the
    /// TTL it was granted with. Null when the store no longer knows the lease (it expired or was revoked): grant a new
    /// one and write the keys again.
    /// </summary>
    Task<ILease?> ResumeLeaseAsync(string id, TimeSpan ttl, CancellationToken ct);

    Task<StoreHealth> CheckHealthAsync(CancellationToken ct);
}
