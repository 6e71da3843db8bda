using System.Net;

namespace DockerNetPlugin.Ipam;

/// <summary>The answer to RequestAddress; the Host renders it as <c>Address/PrefixLength</c>.</summary>
public sealed record AddressAllocation(IPAddress Address, int PrefixLength, IReadOnlyDictionary<string, string> Data);
