using System.Text.Json.Serialization;

namespace DockerNetPlugin.Contract;

/// <summary>The operator API's JSON (camel case, indented: people read it too), for the server and the CLI alike.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(StatusError))]
[JsonSerializable(typeof(DriftReportView))]
[JsonSerializable(typeof(NetworksView))]
[JsonSerializable(typeof(PeersView))]
[JsonSerializable(typeof(NetnsView))]
[JsonSerializable(typeof(ForgetHostView))]
[JsonSerializable(typeof(NamesView))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
