using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;

namespace DockerNetPlugin.Replication.Names;

/// <summary>The one place that turns an endpoint record (any host's) into what the resolvers answer.</summary>
public static class NameProjection
{
    /// <summary>True for a name the resolvers can answer (dotted labels of 1-63 printable characters, 253 in all).</summary>
    public static bool IsServableName(string? name) => NameRecord.IsServableName(name);

    /// <summary>
    /// The name record of <paramref name="record"/>, or null with <paramref name="error"/> null when the record carries no
    /// names (not learned yet, or written by an earlier release), or null with the reason when it cannot be served.
    /// </summary>
    public static NameRecord? ToNameRecord(EndpointRecord record, out string? error)
    {
        ArgumentNullException.ThrowIfNull(record);
        error = null;
        if (record.Names is not { } names)
            return null;
        var ipv4 = InterfaceAddress.TryParse(record.IPv4, out var a4) ? a4.Address : null;
        var ipv6 = InterfaceAddress.TryParse(record.IPv6, out var a6) ? a6.Address : null;
        if (record.IPv4 is not null && ipv4 is null)
        {
            error = $"IPv4 address '{record.IPv4}' cannot be parsed";
            return null;
        }
        if (record.IPv6 is not null && ipv6 is null)
        {
            error = $"IPv6 address '{record.IPv6}' cannot be parsed";
            return null;
        }
        // A provisional name (Docker 29 sent it before the container could be inspected) has no container ID yet: the
        // endpoint stands for its container until the learner publishes the real one.
        var container = string.IsNullOrEmpty(names.ContainerId) ? "endpoint/" + record.EndpointId : names.ContainerId;
        var name = new NameRecord(record.NetworkId, record.EndpointId, container, names.ContainerName ?? "",
            (names.Aliases ?? []).ToList(), ipv4, ipv6, record.HostId);
        error = name.Validate();
        return error is null ? name : null;
    }
}
