using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// What an endpoint record of a logical network is checked against: the network's VNI and its subnets, from the
/// (validated) network record or from this host's own copy of it. Build it once per network, not per record.
/// </summary>
internal sealed class NetworkFacts
{
    public NetworkFacts(string logicalId, uint vni, IReadOnlyList<IPNetwork> subnets)
    {
        ArgumentNullException.ThrowIfNull(logicalId);
        ArgumentNullException.ThrowIfNull(subnets);
        LogicalId = logicalId;
        Vni = vni;
        Subnets = subnets;
    }

    public string LogicalId { get; }
    public uint Vni { get; }
    public IReadOnlyList<IPNetwork> Subnets { get; }

    /// <summary>From a network record that passed <see cref="RecordValidator.Network"/> (its pools all parse).</summary>
    public static NetworkFacts From(NetworkRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new NetworkFacts(record.Id, record.Vni, Pools(record.Subnets));
    }

    /// <summary>From this host's own state for the network (<see cref="LocalNetwork"/>).</summary>
    public static NetworkFacts From(LocalNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkFacts(network.LogicalId, network.Vni, Pools(network.Subnets));
    }

    /// <summary>True when <paramref name="address"/> lies in one of the network's subnets.</summary>
    public bool Contains(IPAddress address) => Subnets.Any(s => s.Contains(address));

    private static List<IPNetwork> Pools(IReadOnlyList<SubnetRecord>? subnets) =>
        (subnets ?? []).Select(s => RecordRules.TryPool(s?.Pool, out var pool) ? pool : (IPNetwork?)null)
            .OfType<IPNetwork>().ToList();
}
