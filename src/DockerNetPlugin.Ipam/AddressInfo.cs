using System.Net;

namespace DockerNetPlugin.Ipam;

/// <summary>One allocated address of a pool: who took it, why, and the options it was requested with (endpoint name, MAC).</summary>
public sealed record AddressInfo(IPAddress Address, AddressKind Kind, string HostId, IReadOnlyDictionary<string, string> Options)
{
    public string? EndpointName => Options.GetValueOrDefault(IpamLabels.EndpointName);
}
