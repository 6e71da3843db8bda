using System.Globalization;

namespace DockerNetPlugin.Integration.Tests;

/// <summary>Reads what <c>bridge fdb</c> and <c>ip neigh</c> print in an overlay namespace, the way an operator would.</summary>
internal static class OverlayTables
{
    /// <summary>The MAC the driver derives from an IPv4 address: 02:42 + the four bytes.</summary>
    public static string MacOf(string ipv4) =>
        "02:42:" + string.Join(':', ipv4.Split('.').Select(o => int.Parse(o, CultureInfo.InvariantCulture).ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>Our static remote entries (<c>... dst VTEP self permanent</c>); br0's learned <c>master br0</c> entries are not ours.</summary>
    public static IReadOnlyList<string> RemoteFdb(string bridgeFdbOutput) =>
        Lines(bridgeFdbOutput).Where(l => l.Contains(" dst ", StringComparison.Ordinal)).ToList();

    /// <summary>Neighbour entries (one per line of <c>ip neigh show dev vxlan0</c>).</summary>
    public static IReadOnlyList<string> Neighbours(string ipNeighOutput) => Lines(ipNeighOutput).ToList();

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
