using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Trust;

/// <summary>
/// The validator wired into the driver: the peer watch, the reconciler, VNI allocation and the network records skip
/// bad records (reported, counted, never programmed) and keep working for the good ones around them.
/// </summary>
public sealed class ValidationWiringTests
{
    private static readonly IPAddress s_vtep = IPAddress.Parse("192.0.2.2");

    private static string NoMac() => """{"networkId":"net1","endpointId":"nomac","hostId":"host-b","iPv4":"10.20.0.50/24","locator":"192.0.2.2"}""";

    /// <summary>The operator's scenario: junk beside a working network, a valid peer after it still programmed.</summary>
    [Fact]
    public async Task JunkRecords_Skipped_Counted_Reported_NeverProgrammed_GoodOnesStillWork()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.RegisterHostAsync("host-b", "192.0.2.2");
        var noMac = ClusterKeys.Endpoint("net1", "nomac");
        var empty = ClusterKeys.Endpoint("net1", "empty");
        var notJson = ClusterKeys.Endpoint("net1", "notjson");
        var junkNetwork = KeyLayout.Key("networks", "junk");
        var junkVni = KeyLayout.Key("vnis", "junk");
        await bed.PutRawAsync(noMac, NoMac());
        await bed.PutRawAsync(empty, "{}");
        await bed.PutRawAsync(notJson, "not json");
        await bed.PutRawAsync(junkNetwork, "not json");
        await bed.PutRawAsync(junkVni, "x");

        var peer = DriverBed.Remote("net1", 1);
        await bed.PublishRemoteAsync(peer);
        var ns = bed.Sandbox("net1");
        var mac = PhysicalAddress.Parse(peer.Mac.Replace(':', '-'));
        await Eventually.TrueAsync(() => ns.HasPeer(IPAddress.Parse("10.20.0.101"), mac, s_vtep), "the valid peer programmed after the junk");
        await Eventually.TrueAsync(() => bed.Driver.InvalidRecords.Count >= 3, "the watch reported the bad endpoint records");

        // A new network can be created: VNI allocation and the network records skip the junk.
        await bed.CreateNetworkAsync("net2", "10.21.0.0/24", "10.21.0.1/24");
        Assert.Equal(["net1", "net2"], (await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None)).Select(n => n.Id));

        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        var report = await reconciler.RunAsync(repair: true, CancellationToken.None);
        var invalid = report.Remaining.Where(d => d.Kind == InvalidRecordLog.DriftKind).Select(d => d.Object).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { empty, noMac, notJson, junkNetwork, junkVni }.Order(StringComparer.Ordinal), invalid);
        Assert.Empty(report.Repaired);
        Assert.Contains(report.Remaining, d => d.Object == noMac && d.Detail.Contains("'mac' is missing", StringComparison.Ordinal) && !d.Repairable);

        // Only the valid peer is in the kernel: one neighbour and one FDB entry, nothing from the junk.
        Assert.Equal(1, ns.Use(() => ns.Neighbours.Count));
        Assert.Equal(1, ns.Use(() => ns.Fdb.Count));
        var status = bed.Driver.GetStatus();
        Assert.Equal(5, status.InvalidRecords.Count);
        Assert.Contains(status.InvalidRecords.Records, r => r.Key == junkVni);
        Assert.Equal(1, status.Networks.Single(n => n.LogicalId == "net1").RemotePeers);

        // Fixed or deleted keys leave the count.
        await bed.Cluster.DeleteAsync(notJson, CancellationToken.None);
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 7) with { EndpointId = "nomac" });
        await Eventually.TrueAsync(() => ns.Use(() => ns.Neighbours.Count) == 2, "the fixed record programmed");
        await reconciler.RunAsync(repair: false, CancellationToken.None);
        Assert.Equal(3, bed.Driver.GetStatus().InvalidRecords.Count);
    }

    [Fact]
    public async Task ValidRecordRewrittenInvalid_ItsEntriesGo()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var peer = DriverBed.Remote("net1", 1);
        await bed.PublishRemoteAsync(peer);
        var ns = bed.Sandbox("net1");
        await Eventually.TrueAsync(() => ns.Use(() => ns.Neighbours.Count) == 1, "peer programmed");

        await bed.PutRawAsync(ClusterKeys.Endpoint("net1", peer.EndpointId), """{"networkId":"net1"}""");

        await Eventually.TrueAsync(() => ns.Use(() => ns.Neighbours.Count + ns.Fdb.Count) == 0, "the rewritten record's entries removed");
        Assert.Equal(1, bed.Driver.InvalidRecords.Count);
    }

    [Fact]
    public async Task FloodMacOrAddressOutsideTheSubnet_NeverProgrammed()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 1) with { Mac = "00:00:00:00:00:00" });
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 2) with { IPv4 = "10.99.0.2/24" });
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 3));
        var ns = bed.Sandbox("net1");

        await Eventually.TrueAsync(() => ns.Use(() => ns.Neighbours.Count) == 1, "only the good peer programmed");
        await Eventually.TrueAsync(() => bed.Driver.InvalidRecords.Count == 2, "both bad records reported");
        Assert.DoesNotContain(ns.Use(() => ns.Fdb.ToList()), f => f.Mac.Equals(PhysicalAddress.None) || f.Mac.GetAddressBytes().All(b => b == 0));
    }

    [Fact]
    public async Task LocatorOfAnotherHost_Held_UntilTheHostRegistersIt()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.RegisterHostAsync("host-b", "192.0.2.2");
        var claim = DriverBed.Remote("net1", 1) with { Locator = "192.0.2.66" }; // host-b registered 192.0.2.2
        await bed.PublishRemoteAsync(claim, withHost: false);
        var ns = bed.Sandbox("net1");
        await Eventually.TrueAsync(() => bed.Driver.InvalidRecords.Count == 1, "the locator mismatch reported");
        Assert.Equal(0, ns.Use(() => ns.Neighbours.Count));

        await bed.RegisterHostAsync("host-b", "192.0.2.66"); // the host moved: now the record agrees

        await Eventually.TrueAsync(() => ns.HasPeer(IPAddress.Parse("10.20.0.101"), PhysicalAddress.Parse(claim.Mac.Replace(':', '-')), IPAddress.Parse("192.0.2.66")), "let in once the host agrees");
        Assert.Equal(0, bed.Driver.InvalidRecords.Count);
    }

    [Fact]
    public async Task RecordsOfANetworkLearnedLater_CheckedAgainstItsSubnets()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 1, prefix: "10.99.0."));
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 2));
        await Eventually.TrueAsync(() => bed.Driver.ListPeers("net1").Count == 2, "both admitted while the network is unknown here");

        await bed.CreateNetworkAsync("net1");

        Assert.Equal(["remote0002"], bed.Driver.ListPeers("net1").Select(p => p.EndpointId));
        Assert.Equal(1, bed.Driver.InvalidRecords.Count);
    }

    [Fact]
    public async Task ForeignClaimOfTheNetworksVni_NetworkRecordSkipped()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        var record = (await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None)).Single();
        var thief = record with { Id = "thief" };
        await bed.PutRawAsync(ClusterKeys.Network("thief"), System.Text.Encoding.UTF8.GetString(RecordStore.Encode(thief, DriverJsonContext.Default.NetworkRecord).Span));

        var networks = await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None);

        Assert.Equal(["net1"], networks.Select(n => n.Id));
        Assert.Contains(bed.Driver.InvalidRecords.Snapshot().Records, r => r.Key == ClusterKeys.Network("thief") && r.Reason.Contains("belongs to network net1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_ShowsTheSupervisedLoops()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        reconciler.Start(TimeSpan.FromHours(1));

        var loops = bed.Driver.GetStatus().Loops.ToDictionary(l => l.Name);

        foreach (var name in new[] { "host-watch", "peer-watch", "lease-keeper", "reconciler", "key-layout" })
            Assert.Equal(LoopState.Running, loops[name].State);
    }
}
