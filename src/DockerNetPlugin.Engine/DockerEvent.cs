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
}
