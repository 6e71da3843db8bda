using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>The Engine API dialect: PascalCase names, matched case-insensitively like Go's decoder.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DockerNetwork))]
[JsonSerializable(typeof(List<DockerNetwork>))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(DockerContainer))]
[JsonSerializable(typeof(List<DockerContainer>))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(DockerEvent))]
[JsonSerializable(typeof(EngineErrorBody))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
