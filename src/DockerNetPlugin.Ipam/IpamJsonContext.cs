using System.Text.Json.Serialization;

namespace DockerNetPlugin.Ipam;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PoolRecord))]
[JsonSerializable(typeof(AddressRecord))]
[JsonSerializable(typeof(PoolIndexRecord))]
internal sealed partial class IpamJsonContext : JsonSerializerContext;
