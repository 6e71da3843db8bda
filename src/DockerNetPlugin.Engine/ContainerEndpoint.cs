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

    /// <summary>
    /// DNS aliases on this network (<c>--network-alias</c>, Compose service names). Before Docker 25 the daemon also
    /// appends the short container ID and the hostname here (moby v20.10 daemon/container_operations.go).
    /// </summary>
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>
    /// Every name Docker's resolver answers for this endpoint, container name first (it is the PTR name), then
    /// aliases, short ID and hostname (moby buildEndpointDNSNames). Docker 25 and later; null before.
    /// </summary>
    [JsonPropertyName("DNSNames")]
    public IReadOnlyList<string>? DnsNames { get; init; }

    /// <summary>Endpoint driver options (<c>--driver-opt</c>).</summary>
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }

    /// <summary>
    /// The names to answer for this endpoint of container <paramref name="containerName"/>: <see cref="DnsNames"/> when
    /// the daemon sends them (25+), else the container name followed by <see cref="Aliases"/>; distinct, first kept.
    /// </summary>
    public IReadOnlyList<string> NamesFor(string containerName)
    {
        var names = DnsNames is { Count: > 0 } ? DnsNames : [containerName.TrimStart('/'), .. Aliases ?? []];
        return names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal).ToList();
    }
}
