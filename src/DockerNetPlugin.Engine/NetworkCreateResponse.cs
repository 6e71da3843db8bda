namespace DockerNetPlugin.Engine;

/// <summary>The answer of <c>POST /networks/create</c>.</summary>
internal sealed record NetworkCreateResponse
{
    public string Id { get; init; } = "";

    public string? Warning { get; init; }
}
