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
            [new ReplicationStatus("l1", "web", ReplicationStates.Present, null)]);

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
