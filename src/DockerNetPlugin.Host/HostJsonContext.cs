using System.Text.Json.Serialization;
using DockerNetPlugin.Driver;

namespace DockerNetPlugin.Host;

/// <summary>The plugin's own status API (<c>GET /dnp/v1/status</c>), read by the CLI over the same socket.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DriverStatus))]
[JsonSerializable(typeof(StatusError))]
[JsonSerializable(typeof(DockerNetPlugin.Driver.Reconcile.DriftReport))]
public sealed partial class HostJsonContext : JsonSerializerContext;

public sealed record StatusError(string Error);
