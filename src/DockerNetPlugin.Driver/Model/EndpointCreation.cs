using System.Net.NetworkInformation;

namespace DockerNetPlugin.Driver.Model;

/// <summary>
/// What CreateEndpoint asks for: addresses IPAM already allocated, and Docker's MAC if it chose one.
/// <paramref name="ContainerName"/>: the endpoint's name Docker 29+ sends with RequestAddress, when known; it is published
/// with Join as a provisional name until the names are learned from the Engine API.
/// </summary>
public sealed record EndpointCreation(
    string DockerNetworkId,
    string EndpointId,
    InterfaceAddress? IPv4,
    InterfaceAddress? IPv6,
    PhysicalAddress? Mac,
    string? ContainerName = null);

/// <summary>The driver's answer: the MAC to report, only when Docker supplied none (never echo a field Docker filled).</summary>
public sealed record EndpointCreated(PhysicalAddress? MacToReport);

/// <summary>
/// The Join answer: the host-side interface Docker moves into the container and renames eth&lt;N&gt;, and the resolver
/// address to route through it (a /32 connected route), or null when the container already has that route through
/// another dnp network (the kernel refuses a second route to the same destination) or names are off.
/// </summary>
public sealed record JoinResult(string SourceInterfaceName, string DestinationPrefix, System.Net.IPAddress? ResolverRoute = null);
