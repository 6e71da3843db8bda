using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Netlink.Model;
using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink;

/// <summary>Routes of the main table: RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE (netlink.md §3.2).</summary>
public sealed partial class RtnlHandle
{
    /// <summary>`ip route add DST [via GW] [dev X] [scope S]` (proto boot, like `ip`).</summary>
    public void RouteAdd(RouteSpec route) => ExecuteRoute(Rtm.RTM_NEWROUTE, Nlm.Create, route, "add");

    /// <summary>`ip route replace DST [via GW] [dev X] [scope S]`.</summary>
    public void RouteReplace(RouteSpec route) => ExecuteRoute(Rtm.RTM_NEWROUTE, Nlm.Replace, route, "replace");

    /// <summary>`ip route del DST [via GW] [dev X]` (protocol, scope and type act as wildcards).</summary>
    public void RouteDelete(RouteSpec route) => ExecuteRoute(Rtm.RTM_DELROUTE, Nlm.Modify, route, "del");

    /// <summary>`ip [-6] route show table main`: the unicast routes.</summary>
    public IReadOnlyList<RouteSpec> RouteList(AddressFamily family)
    {
        var af = family switch
        {
            AddressFamily.InterNetwork => Af.AF_INET,
            AddressFamily.InterNetworkV6 => Af.AF_INET6,
            _ => throw new ArgumentException($"route family must be InterNetwork or InterNetworkV6, not {family}", nameof(family)),
        };
        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteRouteDump(ref w, 0, af);
        return _socket.Dump<RouteSpec>(buffer[..w.Length], "RTM_GETROUTE dump", ParseRoute);
    }

    internal static void WriteRoute(ref NetlinkWriter w, uint seq, ushort type, ushort flags, RouteSpec route)
    {
        var destination = route.Destination;
        var family = destination.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? Af.AF_INET6 : Af.AF_INET;
        var delete = type == Rtm.RTM_DELROUTE;
        w.BeginMessage(type, flags, seq);
        w.WriteRtMsg(
            family,
            checked((byte)destination.PrefixLength),
            Rta.RT_TABLE_MAIN,
            delete ? Rta.RTPROT_UNSPEC : Rta.RTPROT_BOOT,
            delete ? Rta.RT_SCOPE_NOWHERE : (byte)route.Scope,
            delete ? Rta.RTN_UNSPEC : Rta.RTN_UNICAST);
        if (destination.PrefixLength > 0)
        {
            w.PutAddress(Rta.RTA_DST, destination.BaseAddress);
        }

        if (route.Gateway is { } gateway)
        {
            w.PutAddress(Rta.RTA_GATEWAY, gateway);
        }

        if (route.LinkIndex is { } oif)
        {
            w.PutU32(Rta.RTA_OIF, checked((uint)oif));
        }

        w.EndMessage();
    }

    internal static void WriteRouteDump(ref NetlinkWriter w, uint seq, byte family)
    {
        w.BeginMessage(Rtm.RTM_GETROUTE, Nlm.Dump, seq);
        w.WriteRtMsg(family, 0, Rta.RT_TABLE_UNSPEC, 0, 0, 0);
        w.PutU32(Rta.RTA_TABLE, Rta.RT_TABLE_MAIN);
        w.EndMessage();
    }

    internal static bool ParseRoute(in NetlinkMessage message, out RouteSpec route)
    {
        route = null!;
        var payload = message.Payload;
        if (message.Type != Rtm.RTM_NEWROUTE || payload.Length < Rta.RtMsgSize || payload[7] != Rta.RTN_UNICAST)
        {
            return false;
        }

        var family = payload[0];
        uint table = payload[4];
        IPAddress? destination = null, gateway = null;
        int? oif = null;
        var attributes = message.Attributes(Rta.RtMsgSize);
        while (attributes.Next(out var type, out var value))
        {
            switch (type)
            {
                case Rta.RTA_DST: destination = AttributeReader.Address(value); break;
                case Rta.RTA_GATEWAY: gateway = AttributeReader.Address(value); break;
                case Rta.RTA_OIF: oif = AttributeReader.S32(value); break;
                case Rta.RTA_TABLE: table = AttributeReader.U32(value); break;
                default: break;
            }
        }

        if (table != Rta.RT_TABLE_MAIN)
        {
            return false;
        }

        destination ??= family == Af.AF_INET6 ? IPAddress.IPv6Any : IPAddress.Any;
        route = new RouteSpec(new IPNetwork(destination, payload[1]), gateway, oif, (RouteScope)payload[6]);
        return true;
    }

    private void ExecuteRoute(ushort type, ushort flags, RouteSpec route, string verb)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Gateway is { } gateway && gateway.AddressFamily != route.Destination.BaseAddress.AddressFamily)
        {
            throw new ArgumentException($"gateway {gateway} and destination {route.Destination} are of different families", nameof(route));
        }

        Span<byte> buffer = stackalloc byte[RequestBufferSize];
        var w = new NetlinkWriter(buffer);
        WriteRoute(ref w, 0, type, flags, route);
        var via = route.Gateway is null ? string.Empty : $" via {route.Gateway}";
        var dev = route.LinkIndex is null ? string.Empty : $" dev ifindex {route.LinkIndex}";
        _socket.Execute(buffer[..w.Length], $"{Rtm.Name(type)} {verb} {route.Destination}{via}{dev}");
    }
}
