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
        status.Replication.Select(r => new ReplicationView(r.LogicalId, r.Name, r.State, r.Detail)).ToList(),
        InvalidRecords: new InvalidRecordsView(status.InvalidRecords.Count,
            status.InvalidRecords.Records.Select(r => new InvalidRecordView(r.Key, r.Reason, r.FirstSeen, r.LastSeen, r.Times)).ToList()),
        Loops: status.Loops.Select(l => new LoopHealthView(l.Name, l.State.ToString().ToLowerInvariant(), l.Restarts, l.LastError, l.LastErrorAt, l.RetryAt)).ToList(),
        VxlanGuard: new VxlanGuardView(status.VxlanGuard.Enabled, status.VxlanGuard.State, status.VxlanGuard.Port, status.VxlanGuard.Vteps,
            status.VxlanGuard.DroppedPackets, status.VxlanGuard.DroppedBytes, status.VxlanGuard.Problem),
        KeyLayout: new KeyLayoutView(status.KeyLayout.Mode.ToString().ToLowerInvariant(), Writes(status.KeyLayout), status.KeyLayout.Moving),
        PendingVethDeletions: status.PendingVethDeletions);

    private static List<string> Writes(KeyLayoutStatus layout) =>
        [.. layout.WritesByHost ? ["by-host"] : Array.Empty<string>(), .. layout.WritesLegacy ? ["legacy"] : Array.Empty<string>()];

    public static DnsView ToView(this Replication.Names.NameService names)
    {
        var stats = names.Statistics;
        return new DnsView(names.Address.ToString(), stats.Queries, stats.AnsweredLocally, stats.Forwarded, stats.ForwardFailures, stats.Errors);
    }

    public static DriftReportView ToView(this DriftReport report) => new(
        report.Found.Select(ToView).ToList(), report.Repaired.Select(ToView).ToList(), report.Remaining.Select(ToView).ToList(), report.Notes);

    private static DriftItemView ToView(DriftItem item) => new(item.Network, item.Kind, item.Object, item.Detail, item.Repairable);
}
