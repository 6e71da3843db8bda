using System.Net;

namespace DockerNetPlugin.Netlink.Model;

/// <summary>A main-table unicast route: destination prefix, optional gateway, optional output device, scope.</summary>
public sealed record RouteSpec(IPNetwork Destination, IPAddress? Gateway = null, int? LinkIndex = null, RouteScope Scope = RouteScope.Universe);
