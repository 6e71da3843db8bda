using System.Globalization;
using System.Net;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// A network namespace plugged into the fabric bridge: <c>eth0</c> with an underlay address and a
/// default route via the fabric's router address. Hosts, etcd and the "internet" are fabric nodes.
/// </summary>
internal sealed record FabricNode(string Role, string Netns, IPAddress Address)
{
    /// <summary>The interface name inside the node.</summary>
    public const string Interface = "eth0";

    /// <summary>ip commands run in the fabric namespace to add this node's veth to the bridge.</summary>
    public IEnumerable<string> FabricCommands()
    {
        yield return $"link add {Role} type veth peer name {Interface} netns {Netns}";
        yield return $"link set {Role} master br0";
        yield return $"link set {Role} up";
    }

    /// <summary>ip commands run inside the node once its veth end is there.</summary>
    public IEnumerable<string> NodeCommands(IPAddress router, int prefixLength)
    {
        yield return "link set lo up";
        yield return string.Create(CultureInfo.InvariantCulture, $"addr add {Address}/{prefixLength} dev {Interface}");
        yield return $"link set {Interface} up";
        yield return $"route add default via {router}";
    }
}
