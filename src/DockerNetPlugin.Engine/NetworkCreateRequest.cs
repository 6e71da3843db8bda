using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateRequest
{
    /// <summary>The network name (required).</summary>
    public required string Name { get; init; }

    /// <summary>The network driver; the daemon's default (<c>bridge</c>) when null.</summary>
    public string? Driver { get; init; }

    /// <summary>Ask the daemon to refuse a duplicate name (needed before Docker 25, ignored after).</summary>
    public bool CheckDuplicate { get; init; } = true;

    /// <summary>No external connectivity (<c>--internal</c>).</summary>
    public bool Internal { get; init; }

    /// <summary>Standalone containers may attach (<c>--attachable</c>).</summary>
    public bool Attachable { get; init; }

    /// <summary>Enable IPv6 (<c>--ipv6</c>).</summary>
    [JsonPropertyName("EnableIPv6")]
    public bool EnableIpv6 { get; init; }

    /// <summary>IPAM driver, options and pools.</summary>
    [JsonPropertyName("IPAM")]
    public NetworkIpam? Ipam { get; init; }

    /// <summary>Driver options (<c>-o</c>).</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>Labels (<c>--label</c>).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
