using System.Net;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>An interface address (IFA_LOCAL, or IFA_ADDRESS when there is no local) with its prefix length.</summary>
public sealed record AddressInfo(int Index, IPAddress Ip, int PrefixLength);
