using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>
/// A network as <c>GET /networks</c> (summary; <see cref="Containers"/> is null) or
/// <c>GET /networks/{id}</c> (inspect; <see cref="Containers"/> is filled) return it.
/// </summary>
public sealed record DockerNetwork
{
    /// <summary>The Docker network name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The Docker network ID (differs per host for the same logical network).</summary>
    public string Id { get; init; } = "";

    /// <summary>When the network was created.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary><c>local</c>, <c>global</c> or <c>swarm</c>.</summary>
    public string Scope { get; init; } = "";

    /// <summary>The network driver name, e.g. <c>bridge</c> or <c>dnp</c>.</summary>
    public string Driver { get; init; } = "";

    /// <summary>True for <c>--internal</c> networks.</summary>
    public bool Internal { get; init; }

    /// <summary>True for <c>--attachable</c> networks.</summary>
    public bool Attachable { get; init; }

    /// <summary>True for <c>--ipv6</c> networks.</summary>
    [JsonPropertyName("EnableIPv6")]
    public bool EnableIpv6 { get; init; }

    /// <summary>The IPAM driver and its pools.</summary>
    [JsonPropertyName("IPAM")]
    public NetworkIpam? Ipam { get; init; }

    /// <summary>The <c>-o</c> driver options.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>The <c>--label</c> values.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Attached endpoints keyed by container ID (or <c>ep-&lt;endpoint id&gt;</c>); inspect only.</summary>
    public IReadOnlyDictionary<string, NetworkContainer>? Containers { get; init; }

    /// <summary>
    /// The container attached through endpoint <paramref name="endpointId"/> (network inspect only), or null. Entries
    /// keyed <c>ep-&lt;id&gt;</c> are endpoints without a container (e.g. a service's load balancer) and never match.
    /// </summary>
    public (string ContainerId, NetworkContainer Container)? FindContainerByEndpoint(string endpointId)
    {
        foreach (var (containerId, container) in Containers ?? new Dictionary<string, NetworkContainer>())
        {
            if (!containerId.StartsWith("ep-", StringComparison.Ordinal) && string.Equals(container.EndpointId, endpointId, StringComparison.Ordinal))
            {
                return (containerId, container);
            }
        }

        return null;
    }
}
