using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Dns;

/// <summary>
/// One container endpoint on one dnp network, as the resolver answers for it: its container name and network aliases
/// resolve to its addresses for every container on the same network, on every host.
/// </summary>
/// <param name="NetworkId">The network the endpoint is on (the key the integrator also uses in <see cref="NameTable.SetNetwork"/>).</param>
/// <param name="EndpointId">The endpoint; with <paramref name="NetworkId"/> the record's key.</param>
/// <param name="ContainerId">The container (identifies the asker across its networks).</param>
/// <param name="ContainerName">The container name without a leading slash.</param>
/// <param name="Aliases">Network aliases (and other names Docker registers, e.g. DNSNames); may repeat the container name.</param>
/// <param name="Ipv4">The endpoint's IPv4 address, if any.</param>
/// <param name="Ipv6">The endpoint's IPv6 address, if any.</param>
/// <param name="HostId">The host that owns the endpoint (for removing a dead host's records).</param>
public sealed record NameRecord(
    string NetworkId,
    string EndpointId,
    string ContainerId,
    string ContainerName,
    IReadOnlyList<string> Aliases,
    IPAddress? Ipv4,
    IPAddress? Ipv6,
    string HostId)
{
    /// <summary>Null when the record can be served, else what is wrong with it (for a log line that says so).</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(NetworkId) || string.IsNullOrWhiteSpace(EndpointId) || string.IsNullOrWhiteSpace(ContainerId))
        {
            return "network, endpoint and container IDs are required";
        }

        if (Ipv4 is null && Ipv6 is null)
        {
            return "no address";
        }

        if (Ipv4 is { AddressFamily: not AddressFamily.InterNetwork })
        {
            return $"IPv4 address {Ipv4} is not IPv4";
        }

        if (Ipv6 is { AddressFamily: not AddressFamily.InterNetworkV6 })
        {
            return $"IPv6 address {Ipv6} is not IPv6";
        }

        foreach (var name in Aliases.Prepend(ContainerName))
        {
            if (!IsServableName(name))
            {
                return $"name '{name}' is not a DNS name (1-63 printable characters per label, 253 in all)";
            }
        }

        return null;
    }

    /// <summary>True for a name the resolver can answer: dotted labels of 1-63 printable ASCII characters, 253 in all.</summary>
    public static bool IsServableName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 253 && name.Split('.').All(label =>
            label.Length is > 0 and <= 63 && label.All(c => c > ' ' && c < (char)0x7F && c != '\\'));
}
