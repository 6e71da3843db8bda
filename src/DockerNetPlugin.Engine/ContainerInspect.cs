namespace DockerNetPlugin.Engine;

/// <summary>The parts of <c>GET /containers/{id}/json</c> the plugin uses.</summary>
public sealed record ContainerInspect
{
    /// <summary>The full container ID.</summary>
    public string Id { get; init; } = "";

    /// <summary>The name with a leading slash.</summary>
    public string? Name { get; init; }

    /// <summary>Run state.</summary>
    public ContainerState? State { get; init; }

    /// <summary>Image and labels.</summary>
    public ContainerConfig? Config { get; init; }

    /// <summary>Sandbox key and endpoints.</summary>
    public ContainerNetworkSettings? NetworkSettings { get; init; }

    /// <summary>The name without Docker's leading slash, or null.</summary>
    public string? ContainerName => Name?.TrimStart('/');

    /// <summary>
    /// The container's endpoint on network <paramref name="networkId"/> and the network's name there, or null when the
    /// container is not (or no longer) on it. Endpoints are keyed by network name, so the ID is what is compared.
    /// </summary>
    public (string NetworkName, ContainerEndpoint Endpoint)? EndpointOn(string networkId)
    {
        foreach (var (name, endpoint) in NetworkSettings?.Networks ?? new Dictionary<string, ContainerEndpoint>())
        {
            if (string.Equals(endpoint.NetworkId, networkId, StringComparison.Ordinal))
            {
                return (name, endpoint);
            }
        }

        return null;
    }
}
