using System.Text.Json.Serialization;

namespace DockerNetPlugin.Engine;

/// <summary>One IPAM pool of a network.</summary>
public sealed record IpamPoolConfig
{
    /// <summary>The subnet in CIDR form, e.g. <c>10.10.0.0/24</c>.</summary>
    public string? Subnet { get; init; }

    /// <summary>The sub-range containers are allocated from, in CIDR form.</summary>
    [JsonPropertyName("IPRange")]
    public string? IpRange { get; init; }

    /// <summary>The gateway address (no prefix length).</summary>
    public string? Gateway { get; init; }

    /// <summary>Reserved addresses by name (<c>--aux-address name=ip</c>).</summary>
    public IReadOnlyDictionary<string, string>? AuxiliaryAddresses { get; init; }
}
