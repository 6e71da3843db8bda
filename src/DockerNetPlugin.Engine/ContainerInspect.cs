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
}
