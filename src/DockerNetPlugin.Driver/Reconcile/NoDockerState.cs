namespace DockerNetPlugin.Driver.Reconcile;

/// <summary>No Engine API configured: Docker's view is never read, so no network or endpoint is called stale.</summary>
public sealed class NoDockerState : IDockerState
{
    public string? Unavailable => "Docker's view not checked (no Engine API configured)";

    public Task ReadAsync(IEnumerable<string> dockerNetworkIds, CancellationToken ct) => Task.CompletedTask;

    public bool NetworkGone(string dockerNetworkId) => false;

    public bool EndpointGone(string dockerNetworkId, string endpointId) => false;
}
