using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>One network attachment of a container (<c>NetworkSettings.Networks.&lt;name&gt;</c>).</summary>
public sealed record ContainerEndpoint
{
    /// <summary>The Docker network ID.</summary>
    [JsonPropertyName("NetworkID")]
    public string? NetworkId { get; init; }

    /// <summary>The endpoint ID (changes on every start or connect).</summary>
    [JsonPropertyName("EndpointID")]
    public string? EndpointId { get; init; }

    /// <summary>The IPv4 gateway.</summary>
    public string? Gateway { get; init; }

    /// <summary>The IPv4 address without prefix length.</summary>
    [JsonPropertyName("IPAddress")]
    public string? IpAddress { get; init; }

    /// <summary>The IPv4 prefix length.</summary>
    [JsonPropertyName("IPPrefixLen")]
    public int IpPrefixLen { get; init; }

    /// <summary>The IPv6 gateway.</summary>
    [JsonPropertyName("IPv6Gateway")]
    public string? Ipv6Gateway { get; init; }

    /// <summary>The global IPv6 address.</summary>
    [JsonPropertyName("GlobalIPv6Address")]
    public string? GlobalIpv6Address { get; init; }

    /// <summary>The global IPv6 prefix length.</summary>
    [JsonPropertyName("GlobalIPv6PrefixLen")]
    public int GlobalIpv6PrefixLen { get; init; }

    /// <summary>The endpoint MAC address.</summary>
    public string? MacAddress { get; init; }

    /// <summary>DNS aliases on this network.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>Endpoint driver options (<c>--driver-opt</c>).</summary>
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }
}
