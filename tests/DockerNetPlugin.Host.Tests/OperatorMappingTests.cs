using System.Text.Json;
using DockerNetPlugin.Contract;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Replication;

namespace DockerNetPlugin.Host.Tests;

/// <summary>The operator API's JSON keeps the field names scripts and older CLIs read (<c>dnp status --json</c>, <c>dnp doctor --json</c>).</summary>
public sealed class OperatorMappingTests
{
    [Fact]
    public void StatusView_FromDriverStatus_KeepsEveryFieldAndItsJsonName()
    {
        var status = new DriverStatus("h1", "192.0.2.1", "eth0", 1450,
            [new NetworkStatus("d1", "l1", 4242, "dnp-l1", true, ["10.0.0.0/24"], 2, 3, Multicast: true)],
            [new ReplicationStatus("l1", "web", ReplicationStates.Present, null)],
            new DockerNetPlugin.Driver.Trust.InvalidRecordsStatus(2, [new DockerNetPlugin.Driver.Trust.InvalidRecordStatus("dnp/v1/vnis/x", "the key is not vnis/<decimal VNI>", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 3)]),
            [new DockerNetPlugin.Driver.Trust.LoopHealth("peer-watch", DockerNetPlugin.Driver.Trust.LoopState.Restarting, 2, "IOException: boom", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)],
            new DockerNetPlugin.Driver.Guard.VxlanGuardStatus(true, "active", 4789, 2, 5, 500, null),
            new KeyLayoutStatus(DockerNetPlugin.Driver.Cluster.KeyLayoutMode.Auto, WritesByHost: true, WritesLegacy: true, Moving: true), 4);

        var json = JsonSerializer.Serialize(status.ToView(), OperatorJsonContext.Default.StatusView);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        Assert.Equal("h1", root.GetProperty("hostId").GetString());
        Assert.Equal(1450, root.GetProperty("overlayMtu").GetInt32());
        var network = root.GetProperty("networks")[0];
        Assert.Equal(4242u, network.GetProperty("vni").GetUInt32());
        Assert.True(network.GetProperty("sandboxPresent").GetBoolean());
        Assert.Equal(3, network.GetProperty("remotePeers").GetInt32());
        Assert.True(network.GetProperty("multicast").GetBoolean());
        Assert.Equal("present", root.GetProperty("replication")[0].GetProperty("state").GetString());
        Assert.Equal(2, root.GetProperty("invalidRecords").GetProperty("count").GetInt32());
        Assert.Equal("dnp/v1/vnis/x", root.GetProperty("invalidRecords").GetProperty("records")[0].GetProperty("key").GetString());
        var loop = root.GetProperty("loops")[0];
        Assert.Equal(("peer-watch", "restarting", 2, "IOException: boom"),
            (loop.GetProperty("name").GetString(), loop.GetProperty("state").GetString(), loop.GetProperty("restarts").GetInt32(), loop.GetProperty("lastError").GetString()));
        Assert.Equal(5UL, root.GetProperty("vxlanGuard").GetProperty("droppedPackets").GetUInt64());
        Assert.Equal("active", root.GetProperty("vxlanGuard").GetProperty("state").GetString());
        var layout = root.GetProperty("keyLayout");
        Assert.Equal("auto", layout.GetProperty("mode").GetString());
        Assert.Equal(["by-host", "legacy"], layout.GetProperty("writes").EnumerateArray().Select(w => w.GetString()));
        Assert.True(layout.GetProperty("moving").GetBoolean());
        Assert.Equal(4, root.GetProperty("pendingVethDeletions").GetInt32());
    }

    [Fact]
    public void DriftReportView_FromDriftReport_CleanOnlyWhenNothingRemains()
    {
        var item = new DriftItem("net", DriftKinds.NeighbourMissing, "10.0.0.9", "no PERMANENT entry", Repairable: true);
        var report = new DriftReport([item], [item], [], ["note"]);

        var json = JsonSerializer.Serialize(report.ToView(), OperatorJsonContext.Default.DriftReportView);
        var back = JsonSerializer.Deserialize(json, OperatorJsonContext.Default.DriftReportView)!;

        Assert.True(back.Clean);
        Assert.Contains("\"kind\": \"neighbour-missing\"", json, StringComparison.Ordinal);
        Assert.Equal("10.0.0.9", back.Repaired.Single().Object);
        Assert.Equal(["note"], back.Notes);
    }
}
