using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink;

/// <summary>
/// MAC addresses the way `ip` and Docker print them (02:42:0a:00:00:05): lower-case hex pairs joined by ':'. The one
/// formatter of the product (error texts, endpoint records, drift reports).
/// </summary>
public static class MacText
{
    public static string Format(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
