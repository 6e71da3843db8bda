using System.Text.Json.Serialization;

namespace DockerNetPlugin.Protocol;

// Wire records of the IpamDriver protocol (remote-api.md §4). Errors use {"Error": ...}.

public sealed record IpamCapabilitiesResponse(
    [property: JsonPropertyName("RequiresMACAddress")] bool RequiresMacAddress,
    [property: JsonPropertyName("RequiresRequestReplay")] bool RequiresRequestReplay);

public sealed record AddressSpacesResponse(
    [property: JsonPropertyName("LocalDefaultAddressSpace")] string LocalDefaultAddressSpace,
    [property: JsonPropertyName("GlobalDefaultAddressSpace")] string GlobalDefaultAddressSpace);

public sealed record RequestPoolRequest(
    [property: JsonPropertyName("AddressSpace")] string? AddressSpace,
    [property: JsonPropertyName("Pool")] string? Pool,
    [property: JsonPropertyName("SubPool")] string? SubPool,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, string>? Options,
    [property: JsonPropertyName("V6")] bool V6);

public sealed record RequestPoolResponse(
    [property: JsonPropertyName("PoolID")] string PoolId,
    [property: JsonPropertyName("Pool")] string Pool,
    [property: JsonPropertyName("Data")] IReadOnlyDictionary<string, string> Data);

public sealed record ReleasePoolRequest([property: JsonPropertyName("PoolID")] string? PoolId);

public sealed record RequestAddressRequest(
    [property: JsonPropertyName("PoolID")] string? PoolId,
    [property: JsonPropertyName("Address")] string? Address,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, string>? Options);

public sealed record RequestAddressResponse(
    [property: JsonPropertyName("Address")] string Address,
    [property: JsonPropertyName("Data")] IReadOnlyDictionary<string, string> Data);

public sealed record ReleaseAddressRequest(
    [property: JsonPropertyName("PoolID")] string? PoolId,
    [property: JsonPropertyName("Address")] string? Address);
