namespace DockerNetPlugin.Engine;

/// <summary>The daemon's error body: <c>{"message": "..."}</c>.</summary>
internal sealed record EngineErrorBody
{
    public string? Message { get; init; }
}
