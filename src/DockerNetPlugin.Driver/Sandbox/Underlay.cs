using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>This host's underlay: the address peers send VXLAN to (its locator) and the MTU overlays derive from.</summary>
public sealed record Underlay(IPAddress Locator, string InterfaceName, int InterfaceMtu)
{
    /// <summary>VXLAN costs 50 bytes over IPv4 and 70 over IPv6.</summary>
    public int OverlayMtu => InterfaceMtu - (Locator.AddressFamily == AddressFamily.InterNetworkV6 ? 70 : 50);

    /// <summary>
    /// Resolve DNP_ADVERTISE_ADDR (an IP of this host or an interface name); without it, the interface of the
    /// default route and its first address.
    /// </summary>
    public static Underlay Resolve(RtnlHandle host, string? advertise)
    {
        var addresses = host.AddressList();
        if (!string.IsNullOrWhiteSpace(advertise))
        {
            if (IPAddress.TryParse(advertise, out var ip))
            {
                var match = addresses.FirstOrDefault(a => a.Ip.Equals(ip))
                    ?? throw new DriverException($"DNP_ADVERTISE_ADDR {advertise} is not an address of this host; give one of: {string.Join(", ", addresses.Select(a => a.Ip))}");
                return FromLink(host, match.Index, ip);
            }
            var link = host.LinkByName(advertise)
                ?? throw new DriverException($"DNP_ADVERTISE_ADDR '{advertise}' is neither an IP address nor an interface of this host");
            var first = PreferIPv4(addresses.Where(a => a.Index == link.Index))
                ?? throw new DriverException($"interface {advertise} (DNP_ADVERTISE_ADDR) has no IP address");
            return FromLink(host, link.Index, first.Ip);
        }

        var defaultRoute = host.RouteList(AddressFamily.InterNetwork).FirstOrDefault(r => r.Destination.PrefixLength == 0 && r.LinkIndex is not null)
            ?? host.RouteList(AddressFamily.InterNetworkV6).FirstOrDefault(r => r.Destination.PrefixLength == 0 && r.LinkIndex is not null);
        if (defaultRoute?.LinkIndex is int index)
        {
            var source = PreferIPv4(addresses.Where(a => a.Index == index));
            if (source is not null)
                return FromLink(host, index, source.Ip);
        }
        throw new DriverException("cannot find this host's underlay address: there is no default route; set DNP_ADVERTISE_ADDR to an IP or interface name");
    }

    private static AddressInfo? PreferIPv4(IEnumerable<AddressInfo> candidates)
    {
        var list = candidates.Where(a => !a.Ip.IsIPv6LinkLocal).ToList();
        return list.FirstOrDefault(a => a.Ip.AddressFamily == AddressFamily.InterNetwork) ?? list.FirstOrDefault();
    }

    private static Underlay FromLink(RtnlHandle host, int index, IPAddress ip)
    {
        var link = host.LinkByIndex(index) ?? throw new DriverException($"underlay interface #{index} vanished");
        return new Underlay(ip, link.Name, link.Mtu);
    }
}
