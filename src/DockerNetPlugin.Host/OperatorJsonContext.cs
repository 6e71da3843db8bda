using System.Text.Json.Serialization;

namespace DockerNetPlugin.Host;

/// <summary>The operator API's JSON (camel case, indented: people read it too).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(NetworksView))]
[JsonSerializable(typeof(PeersView))]
[JsonSerializable(typeof(NetnsView))]
[JsonSerializable(typeof(ForgetHostView))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
