using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Benchmarks.Netlink;

/// <summary>
/// N remote endpoints as Docker programs them (netlink.md §5.3): IP 10.128.0.0/9 → MAC 02:42:…, MAC → one of
/// <see cref="Hosts"/> VTEPs in 192.0.2.0/24. Rendered both as our records and as iproute2 batch lines.
/// </summary>
internal sealed class PeerSet
{
    private const int Hosts = 100;

    public PeerSet(int count)
    {
        var peers = Enumerable.Range(1, count).Select(i => (
            Ip: new IPAddress(new byte[] { 10, (byte)(128 + (i >> 16)), (byte)(i >> 8), (byte)i }),
            Mac: new PhysicalAddress([0x02, 0x42, 0x0a, (byte)(i >> 16), (byte)(i >> 8), (byte)i]),
            Vtep: new IPAddress(new byte[] { 192, 0, 2, (byte)(1 + (i % Hosts)) }))).ToList();
        Ips = peers.Select(p => p.Ip).ToList();
        Macs = peers.Select(p => p.Mac).ToList();
        Vteps = peers.Select(p => p.Vtep).ToList();
    }

    public IReadOnlyList<IPAddress> Ips { get; }

    public IReadOnlyList<PhysicalAddress> Macs { get; }

    public IReadOnlyList<IPAddress> Vteps { get; }

    public int Count => Ips.Count;

    public List<Neighbor> Neighbors(int linkIndex) => Ips.Select((ip, i) => new Neighbor(linkIndex, ip, Macs[i])).ToList();

    public List<FdbEntry> Fdb(int linkIndex) => Macs.Select((mac, i) => new FdbEntry(linkIndex, mac, Vteps[i])).ToList();

    /// <summary>`ip -batch` lines: `neigh replace IP lladdr MAC dev DEV nud permanent`.</summary>
    public IEnumerable<string> NeighborBatch(string device) =>
        Ips.Select((ip, i) => string.Create(CultureInfo.InvariantCulture, $"neigh replace {ip} lladdr {Colon(Macs[i])} dev {device} nud permanent"));

    /// <summary>`bridge -batch` lines: `fdb replace MAC dev DEV dst VTEP self permanent`.</summary>
    public IEnumerable<string> FdbBatch(string device) =>
        Macs.Select((mac, i) => string.Create(CultureInfo.InvariantCulture, $"fdb replace {Colon(mac)} dev {device} dst {Vteps[i]} self permanent"));

    private static string Colon(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
