using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>
/// A vxlan forwarding entry (`bridge fdb ... self permanent`): MAC to remote VTEP, with optional remote VNI and UDP port
/// (null = the device default). Mac 00:00:00:00:00:00 is the flood list.
/// </summary>
public sealed record FdbEntry(int LinkIndex, PhysicalAddress Mac, IPAddress? Vtep, uint? Vni = null, ushort? Port = null);
