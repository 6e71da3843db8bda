using System.Net.NetworkInformation;

namespace DockerNetPlugin.Netlink;

/// <summary>MAC addresses in error texts the way `ip` prints them (02:42:0a:00:00:05).</summary>
internal static class MacText
{
    internal static string Format(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
