using DockerNetPlugin.Contract;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Reconcile;

namespace DockerNetPlugin.Host;

/// <summary>The driver's status and drift reports as the operator API's wire types (Host is where domain meets wire).</summary>
internal static class OperatorMapping
{
    public static StatusView ToView(this DriverStatus status) => new(
        status.HostId, status.Locator, status.UnderlayInterface, status.OverlayMtu,
        status.Networks.Select(n => new NetworkStatusView(n.DockerNetworkId, n.LogicalId, n.Vni, n.Sandbox, n.SandboxPresent, n.Subnets, n.LocalEndpoints, n.RemotePeers, n.Multicast)).ToList(),
        status.Replication.Select(r => new ReplicationView(r.LogicalId, r.Name, r.State, r.Detail)).ToList());

    public static DnsView ToView(this Replication.Names.NameService names)
    {
        var stats = names.Statistics;
        return new DnsView(names.Address.ToString(), stats.Queries, stats.AnsweredLocally, stats.Forwarded, stats.ForwardFailures, stats.Errors);
    }

    public static DriftReportView ToView(this DriftReport report) => new(
        report.Found.Select(ToView).ToList(), report.Repaired.Select(ToView).ToList(), report.Remaining.Select(ToView).ToList(), report.Notes);

    private static DriftItemView ToView(DriftItem item) => new(item.Network, item.Kind, item.Object, item.Detail, item.Repairable);
}
