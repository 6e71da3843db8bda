namespace DockerNetPlugin.Store;

/// <summary>
/// A liveness lease: keys written with it vanish when it expires or is disposed (revoked). A lease that is detached
/// instead (<see cref="DetachAsync"/>: a process stopping gracefully) keeps its keys for one TTL, within which a new
/// process may take it back with <see cref="IKvStore.ResumeLeaseAsync"/>.
/// </summary>
public interface ILease : IAsyncDisposable
{
    string Id { get; }
    TimeSpan GrantedTtl { get; }

    /// <summary>Fires when a keepalive finds the lease gone (expired, revoked server-side, or unrenewable for a whole TTL).</summary>
    CancellationToken Lost { get; }

    /// <summary>
    /// Stop renewing without revoking: the keys stay until the TTL runs out unless the lease is resumed (by its
    /// <see cref="Id"/>) meanwhile. A later <c>DisposeAsync</c> does nothing more. Idempotent.
    /// </summary>
    ValueTask DetachAsync();
}
