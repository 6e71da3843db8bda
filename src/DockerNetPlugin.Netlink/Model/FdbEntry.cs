using System.Net;
using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>
/// A vxlan forwarding entry (`bridge fdb ... self permanent`): MAC to remote VTEP, with optional remote VNI and UDP port
/// (null = the device default). Mac 00:00:00:00:00:00 is the flood list. With <paramref name="Master"/> the entry is the
/// one the port's bridge holds for the MAC (`bridge fdb ... master`, e.g. one br0 learned) instead of the device's own.
/// </summary>
public sealed record FdbEntry(int LinkIndex, PhysicalAddress Mac, IPAddress? Vtep, uint? Vni = null, ushort? Port = null, bool Master = false);
