using System.Text.Json.Serialization;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;

namespace DockerNetPlugin.Driver;

/// <summary>Records the driver keeps in the cluster store and the local state dir.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetworkRecord))]
[JsonSerializable(typeof(EndpointRecord))]
[JsonSerializable(typeof(HostRecord))]
[JsonSerializable(typeof(NetworkMembership))]
[JsonSerializable(typeof(HeldLease))]
[JsonSerializable(typeof(PendingWithdraw))]
[JsonSerializable(typeof(LocalNetwork))]
[JsonSerializable(typeof(LocalEndpoint))]
[JsonSerializable(typeof(string))]
internal sealed partial class DriverJsonContext : JsonSerializerContext;
