using System.Text.RegularExpressions;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Replication;

namespace DockerNetPlugin.Replication;

/// <summary>
/// What replication lets a store record make this host's Docker create: only a dnp network. Anyone who can write the
/// store could otherwise have every host create a network of any driver (macvlan on the host's NIC, a driver plugin of
/// their choosing) with any options. Checked before every create; a refused record is reported (replication state
/// <c>refused</c>) and nothing is created.
/// <list type="bullet">
/// <item>Driver and IPAM driver: this plugin, under the names Docker gives it: <c>dnp</c> (the legacy plugin's socket
/// name) or a managed plugin reference whose name is <c>dnp</c> (<c>dnp:latest</c>, <c>registry/owner/dnp:1.2</c>).</item>
/// <item>Driver options from <see cref="DriverOptions"/> only (the options this driver understands); IPAM options from
/// <see cref="IpamOptions"/> only. Labels are metadata and stay free (the record's validator bounds them).</item>
/// <item>Pools: exactly the record's subnets (and gateways where the record has one), so the Docker network cannot
/// claim other addresses than the logical network the data plane programs.</item>
/// </list>
/// </summary>
public static partial class ReplicationPolicy
{
    /// <summary>The driver options (<c>-o</c>) a replicated network may carry.</summary>
    public static IReadOnlySet<string> DriverOptions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        DriverOptionNames.Network, DriverOptionNames.Vni, DriverOptionNames.Mtu, DriverOptionNames.Multicast,
        // Docker 28's unsolicited ARP/NA announcements per endpoint: Docker's own, harmless on every host.
        "com.docker.network.advertise_addr_nmsgs", "com.docker.network.advertise_addr_ms",
    };

    /// <summary>The IPAM options (<c>--ipam-opt</c>) a replicated network may carry.</summary>
    public static IReadOnlySet<string> IpamOptions { get; } = new HashSet<string>(StringComparer.Ordinal) { DriverOptionNames.Network };

    /// <summary>Null when this host may create <paramref name="spec"/> for <paramref name="record"/>, else why not.</summary>
    public static string? Refusal(NetworkRecord record, DockerNetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(spec);
        if (!IsThisPlugin(spec.Driver))
            return $"its driver '{spec.Driver}' is not dnp";
        if (!IsThisPlugin(spec.IpamDriver))
            return $"its IPAM driver '{spec.IpamDriver}' is not dnp";
        if (spec.Options.Keys.FirstOrDefault(k => !DriverOptions.Contains(k)) is { } option)
            return $"driver option '{option}' is not one replication passes on ({string.Join(", ", DriverOptions.Order(StringComparer.Ordinal))})";
        if (spec.IpamOptions.Keys.FirstOrDefault(k => !IpamOptions.Contains(k)) is { } ipamOption)
            return $"IPAM option '{ipamOption}' is not one replication passes on ({string.Join(", ", IpamOptions)})";
        var want = record.Subnets.Select(s => s.Pool).Order(StringComparer.Ordinal).ToList();
        var have = spec.Pools.Select(p => p.Subnet).Order(StringComparer.Ordinal).ToList();
        if (!want.SequenceEqual(have, StringComparer.Ordinal))
            return $"its pools ({string.Join(", ", have)}) are not the logical network's subnets ({string.Join(", ", want)})";
        foreach (var pool in spec.Pools)
        {
            var subnet = record.Subnets.First(s => s.Pool == pool.Subnet);
            var gateway = subnet.Gateway?.Split('/')[0];
            if (pool.Gateway is not null && gateway is not null && pool.Gateway != gateway)
                return $"its gateway {pool.Gateway} for {pool.Subnet} is not the logical network's ({gateway})";
            if (pool.IpRange is not null && !(System.Net.IPNetwork.TryParse(pool.IpRange, out var range) && System.Net.IPNetwork.TryParse(pool.Subnet, out var net)
                && range.PrefixLength >= net.PrefixLength && net.Contains(range.BaseAddress)))
                return $"its IP range {pool.IpRange} is not inside {pool.Subnet}";
        }
        return null;
    }

    /// <summary><c>dnp</c>, or a plugin reference named dnp (<c>dnp:tag</c>, <c>host/owner/dnp:tag</c>).</summary>
    public static bool IsThisPlugin(string? driver) => driver is not null && PluginName().IsMatch(driver);

    [GeneratedRegex(@"^([a-z0-9][a-z0-9._-]*(:[0-9]+)?/)*dnp(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$")]
    private static partial Regex PluginName();
}
