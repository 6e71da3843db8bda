using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>One line of the <c>/events</c> stream.</summary>
public sealed record DockerEvent
{
    /// <summary><c>network</c>, <c>container</c>, ...</summary>
    public string Type { get; init; } = "";

    /// <summary><c>create</c>, <c>destroy</c>, <c>connect</c>, <c>disconnect</c>, ...</summary>
    public string Action { get; init; } = "";

    /// <summary>The object the event is about.</summary>
    public EventActor Actor { get; init; } = new();

    /// <summary><c>local</c> or <c>swarm</c>.</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    /// <summary>Unix time in seconds.</summary>
    [JsonPropertyName("time")]
    public long Time { get; init; }

    /// <summary>Unix time in nanoseconds.</summary>
    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }

    /// <summary>
    /// The container the event is about: the actor of a <c>container</c> event, the <c>container</c> attribute of a
    /// network <c>connect</c>/<c>disconnect</c> (moby daemon/container_operations.go); else null.
    /// </summary>
    public string? ContainerId => Type switch
    {
        "container" => Actor.Id,
        "network" => Actor.Attributes.GetValueOrDefault("container"),
        _ => null,
    };

    /// <summary>The network of a <c>network</c> event (its actor), else null.</summary>
    public string? NetworkId => Type == "network" ? Actor.Id : null;

    /// <summary>
    /// The container's current name (without slash) on a <c>container</c> event: the new name after a rename
    /// (moby daemon/events.go sets <c>name</c> on every container event).
    /// </summary>
    public string? ContainerName => Type == "container" ? Actor.Attributes.GetValueOrDefault("name") : null;

    /// <summary>The name before a <c>rename</c>, without Docker's leading slash (moby daemon/rename.go <c>oldName</c>).</summary>
    public string? OldContainerName => Type == "container" && Action == "rename" ? Actor.Attributes.GetValueOrDefault("oldName")?.TrimStart('/') : null;
}
