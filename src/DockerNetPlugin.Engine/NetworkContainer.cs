using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>An endpoint of a network as network inspect lists it.</summary>
public sealed record NetworkContainer
{
    /// <summary>The container name (without a leading slash).</summary>
    public string? Name { get; init; }

    /// <summary>The endpoint ID the driver saw in CreateEndpoint.</summary>
    [JsonPropertyName("EndpointID")]
    public string? EndpointId { get; init; }

    /// <summary>The endpoint MAC address.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The IPv4 address in CIDR form, e.g. <c>10.10.0.2/24</c>; empty if none.</summary>
    [JsonPropertyName("IPv4Address")]
    public string? Ipv4Address { get; init; }

    /// <summary>The IPv6 address in CIDR form; empty if none.</summary>
    [JsonPropertyName("IPv6Address")]
    public string? Ipv6Address { get; init; }
}
