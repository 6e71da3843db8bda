namespace DockerNetPlugin.Driver.Reconcile;

/// <summary>
/// Which of this host's dnp networks and endpoints Docker itself still has, read by the <see cref="Reconciler"/> before
/// it takes any network lock (Docker calls the driver back, so no lock is held across an Engine call). The Engine-side
/// implementation lives outside the driver; without one nothing is called stale.
/// </summary>
public interface IDockerState
{
    /// <summary>Why Docker's view could not be read this pass (null when it was).</summary>
    string? Unavailable { get; }

    /// <summary>Reads Docker's view of <paramref name="dockerNetworkIds"/>; on failure the view is unavailable.</summary>
    Task ReadAsync(IEnumerable<string> dockerNetworkIds, CancellationToken ct);

    /// <summary>Docker no longer has this network (confirmed by an earlier read too).</summary>
    bool NetworkGone(string dockerNetworkId);

    /// <summary>Docker's network no longer lists this endpoint (confirmed by an earlier read too).</summary>
    bool EndpointGone(string dockerNetworkId, string endpointId);
}
