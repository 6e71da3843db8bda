namespace DockerNetPlugin.Engine;

/// <summary>
/// The Docker Engine API calls the plugin needs (networks, containers, events).
/// Every call except <see cref="StreamEventsAsync"/> has a per-request timeout; failures throw
/// <see cref="DockerEngineException"/> carrying the status and the daemon's message.
/// </summary>
public interface IDockerEngine
{
    /// <summary><c>GET /_ping</c>; negotiates (and caches) the API version.</summary>
    Task<EnginePing> PingAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /networks</c> with optional filters (<c>driver</c>, <c>name</c>, <c>id</c>, <c>label</c>, ...).</summary>
    Task<IReadOnlyList<DockerNetwork>> ListNetworksAsync(IReadOnlyDictionary<string, string[]>? filters, CancellationToken cancellationToken);

    /// <summary><c>GET /networks/{idOrName}</c>; null when the daemon answers 404.</summary>
    Task<DockerNetwork?> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary><c>POST /networks/create</c>; returns the new network ID.</summary>
    /// <exception cref="DockerConflictException">A network with that name exists (409).</exception>
    Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken);

    /// <summary><c>DELETE /networks/{id}</c>; false when the network did not exist (404).</summary>
    Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary><c>GET /containers/json</c>; <paramref name="all"/> includes stopped containers.</summary>
    Task<IReadOnlyList<DockerContainer>> ListContainersAsync(bool all, IReadOnlyDictionary<string, string[]>? filters, CancellationToken cancellationToken);

    /// <summary><c>GET /containers/{id}/json</c>; null when the daemon answers 404.</summary>
    Task<ContainerInspect?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>
    /// <c>GET /events</c> as an endless stream of events (no timeout), from <paramref name="since"/> if given.
    /// Ends when cancelled (OperationCanceledException) or when the daemon closes the stream.
    /// </summary>
    IAsyncEnumerable<DockerEvent> StreamEventsAsync(EventFilter filter, DateTimeOffset? since, CancellationToken cancellationToken);
}
