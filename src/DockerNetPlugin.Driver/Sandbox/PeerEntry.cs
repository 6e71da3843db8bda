using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>A remote endpoint as the kernel needs it: its addresses and MAC (neighbour entries) behind a VTEP (FDB entry).</summary>
public sealed record PeerEntry(IPAddress? IPv4, IPAddress? IPv6, PhysicalAddress Mac, IPAddress Vtep);
