using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>The subject of an event: its ID and attributes (for networks: <c>name</c>, <c>type</c>, and <c>container</c> on connect/disconnect).</summary>
public sealed record EventActor
{
    /// <summary>The network or container ID.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>Event attributes.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
