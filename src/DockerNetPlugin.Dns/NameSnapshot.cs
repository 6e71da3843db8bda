using System.Net;

namespace DockerNetPlugin.Dns;

/// <summary>One immutable state of the <see cref="NameTable"/>: per-network views and who may ask.</summary>
internal sealed class NameSnapshot
{
    private readonly Dictionary<IPAddress, List<(string NetworkId, string ContainerId)>> _askers;
    private readonly Dictionary<string, IReadOnlyList<NetworkView>> _viewsByContainer;

    public NameSnapshot(
        Dictionary<string, NetworkView> networks,
        Dictionary<IPAddress, List<(string NetworkId, string ContainerId)>> askers,
        Dictionary<string, IReadOnlyList<NetworkView>> viewsByContainer)
    {
        Networks = networks;
        _askers = askers;
        _viewsByContainer = viewsByContainer;
    }

    /// <summary>Nothing known.</summary>
    public static NameSnapshot Empty { get; } = new(new(StringComparer.Ordinal), [], new(StringComparer.Ordinal));

    /// <summary>Views by network ID.</summary>
    public IReadOnlyDictionary<string, NetworkView> Networks { get; }

    /// <summary>
    /// The networks whose names the container at <paramref name="source"/> may see: every dnp network its container is
    /// on, ordered by network name (as Docker orders a sandbox's endpoints). When <paramref name="arrivedOn"/> is set,
    /// the asker must be an endpoint of that network (the network whose namespace the query arrived in), which also
    /// keeps overlapping subnets of different networks apart. Empty for an unknown asker.
    /// </summary>
    public IReadOnlyList<NetworkView> ViewFor(IPAddress source, string? arrivedOn)
    {
        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        if (!_askers.TryGetValue(source, out var candidates))
        {
            return [];
        }

        foreach (var (networkId, containerId) in candidates)
        {
            if (arrivedOn is null || networkId == arrivedOn)
            {
                return _viewsByContainer.GetValueOrDefault(containerId) ?? [];
            }
        }

        return [];
    }
}
