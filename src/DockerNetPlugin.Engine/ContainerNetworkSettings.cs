namespace DockerNetPlugin.Engine;

/// <summary>A container's <c>NetworkSettings</c>: its sandbox and one endpoint per network.</summary>
public sealed record ContainerNetworkSettings
{
    /// <summary>The path of the container's network namespace (inspect only).</summary>
    public string? SandboxKey { get; init; }

    /// <summary>The container's endpoints keyed by network name.</summary>
    public IReadOnlyDictionary<string, ContainerEndpoint>? Networks { get; init; }
}
