using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockerNetPlugin.Protocol;

// Wire records of the NetworkDriver protocol (remote-api.md §2). Property names are Docker's Go names.
// Options maps are heterogeneous (bools, nested objects, lists), so they stay JsonElement until the host reads them.

public sealed record NetworkCapabilitiesResponse(
    [property: JsonPropertyName("Scope")] string Scope,
    [property: JsonPropertyName("ConnectivityScope")] string ConnectivityScope,
    [property: JsonPropertyName("GwAllocChecker")] bool GwAllocChecker);

public sealed record IpamData(
    [property: JsonPropertyName("AddressSpace")] string? AddressSpace,
    [property: JsonPropertyName("Pool")] string? Pool,
    [property: JsonPropertyName("Gateway")] string? Gateway,
    [property: JsonPropertyName("AuxAddresses")] IReadOnlyDictionary<string, string>? AuxAddresses);

public sealed record CreateNetworkRequest(
    [property: JsonPropertyName("NetworkID")] string? NetworkId,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, JsonElement>? Options,
    [property: JsonPropertyName("IPv4Data")] IReadOnlyList<IpamData>? IPv4Data,
    [property: JsonPropertyName("IPv6Data")] IReadOnlyList<IpamData>? IPv6Data);

public sealed record GwAllocCheckRequest(
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, JsonElement>? Options);

public sealed record GwAllocCheckResponse(
    [property: JsonPropertyName("SkipIPv4")] bool SkipIPv4,
    [property: JsonPropertyName("SkipIPv6")] bool SkipIPv6);

/// <summary>Requests that carry only the network: DeleteNetwork, FreeNetwork.</summary>
public sealed record NetworkRequest([property: JsonPropertyName("NetworkID")] string? NetworkId);

/// <summary>Swarm-manager-only AllocateNetwork (never sent with Scope local; answered for completeness).</summary>
public sealed record AllocateNetworkRequest(
    [property: JsonPropertyName("NetworkID")] string? NetworkId,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, string>? Options);

public sealed record AllocateNetworkResponse(
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, string> Options);

public sealed record EndpointInterface(
    [property: JsonPropertyName("Address"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Address,
    [property: JsonPropertyName("AddressIPv6"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AddressIPv6,
    [property: JsonPropertyName("MacAddress"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MacAddress);

public sealed record CreateEndpointRequest(
    [property: JsonPropertyName("NetworkID")] string? NetworkId,
    [property: JsonPropertyName("EndpointID")] string? EndpointId,
    [property: JsonPropertyName("Interface")] EndpointInterface? Interface,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, JsonElement>? Options);

public sealed record CreateEndpointResponse(
    [property: JsonPropertyName("Interface"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EndpointInterface? Interface);

/// <summary>Requests that name one endpoint: DeleteEndpoint, Leave, EndpointOperInfo, RevokeExternalConnectivity.</summary>
public sealed record EndpointRequest(
    [property: JsonPropertyName("NetworkID")] string? NetworkId,
    [property: JsonPropertyName("EndpointID")] string? EndpointId);

public sealed record JoinRequest(
    [property: JsonPropertyName("NetworkID")] string? NetworkId,
    [property: JsonPropertyName("EndpointID")] string? EndpointId,
    [property: JsonPropertyName("SandboxKey")] string? SandboxKey,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, JsonElement>? Options);

public sealed record InterfaceName(
    [property: JsonPropertyName("SrcName")] string SrcName,
    [property: JsonPropertyName("DstPrefix")] string DstPrefix);

public sealed record StaticRoute(
    [property: JsonPropertyName("Destination")] string Destination,
    [property: JsonPropertyName("RouteType")] int RouteType,
    [property: JsonPropertyName("NextHop"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextHop);

public sealed record JoinResponse(
    [property: JsonPropertyName("InterfaceName")] InterfaceName InterfaceName,
    [property: JsonPropertyName("Gateway"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Gateway,
    [property: JsonPropertyName("GatewayIPv6"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GatewayIPv6,
    [property: JsonPropertyName("StaticRoutes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StaticRoute>? StaticRoutes,
    [property: JsonPropertyName("DisableGatewayService")] bool DisableGatewayService);

public sealed record ExternalConnectivityRequest(
    [property: JsonPropertyName("NetworkID")] string? NetworkId,
    [property: JsonPropertyName("EndpointID")] string? EndpointId,
    [property: JsonPropertyName("Options")] IReadOnlyDictionary<string, JsonElement>? Options);

public sealed record EndpointOperInfoResponse(
    [property: JsonPropertyName("Value")] IReadOnlyDictionary<string, string> Value);

public sealed record DiscoveryRequest(
    [property: JsonPropertyName("DiscoveryType")] int DiscoveryType,
    [property: JsonPropertyName("DiscoveryData")] JsonElement? DiscoveryData);
