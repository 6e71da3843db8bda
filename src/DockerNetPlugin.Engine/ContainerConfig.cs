namespace DockerNetPlugin.Engine;

/// <summary>A container's <c>Config</c> section (the parts the plugin uses).</summary>
public sealed record ContainerConfig
{
    /// <summary>The hostname.</summary>
    public string? Hostname { get; init; }

    /// <summary>The image reference.</summary>
    public string? Image { get; init; }

    /// <summary>The container's labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
