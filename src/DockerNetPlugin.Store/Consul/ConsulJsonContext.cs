using System.Text.Json.Serialization;

namespace DockerNetPlugin.Store.Consul;

/// <summary>The Consul dialect: PascalCase names, base64 values, nulls left out (STYLE.md §7.2).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(List<ConsulKvPair>))]
[JsonSerializable(typeof(List<ConsulTxnOp>))]
[JsonSerializable(typeof(ConsulTxnResponse))]
[JsonSerializable(typeof(ConsulSessionRequest))]
[JsonSerializable(typeof(ConsulSessionCreated))]
[JsonSerializable(typeof(List<ConsulSessionInfo>))]
[JsonSerializable(typeof(string))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
