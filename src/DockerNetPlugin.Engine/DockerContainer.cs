namespace DockerNetPlugin.Engine;

/// <summary>A container as <c>GET /containers/json</c> lists it.</summary>
public sealed record DockerContainer
{
    /// <summary>The full container ID.</summary>
    public string Id { get; init; } = "";

    /// <summary>Names with a leading slash, e.g. <c>/web</c>.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>The image the container was created from.</summary>
    public string? Image { get; init; }

    /// <summary><c>created</c>, <c>running</c>, <c>exited</c>, ...</summary>
    public string? State { get; init; }

    /// <summary>Human-readable status, e.g. <c>Up 2 seconds</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The container's labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The container's network attachments.</summary>
    public ContainerNetworkSettings? NetworkSettings { get; init; }
}
