namespace DockerNetPlugin.Store;

/// <summary>A liveness lease: keys written with it vanish when it expires or is disposed (revoked).</summary>
public interface ILease : IAsyncDisposable
{
    string Id { get; }
    TimeSpan GrantedTtl { get; }

    /// <summary>Fires when a keepalive finds the lease gone (expired, revoked server-side, or unrenewable for a whole TTL).</summary>
    CancellationToken Lost { get; }
}
