using System.Net;

namespace DockerNetPlugin.Driver.Model;

/// <summary>One subnet of a network: the pool and the gateway Docker's IPAM chose (the gateway lives on br0).</summary>
public sealed record SubnetSpec(IPNetwork Pool, InterfaceAddress? Gateway);
