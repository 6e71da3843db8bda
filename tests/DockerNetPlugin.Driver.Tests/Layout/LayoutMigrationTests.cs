using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Layout;

/// <summary>
/// DNP_KEY_LAYOUT in the driver: auto writes both layouts while a host of the previous release is live and moves this
/// host's records to by-host only once every live host reads it (and back); host never writes legacy keys; records of
/// either layout from other hosts are programmed, one whose host segment is not its host is not.
/// </summary>
public sealed class LayoutMigrationTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string[] s_own =
    [
        ClusterKeys.Host(DriverBed.HostId),
        ClusterKeys.Endpoint("net1", "ep1"),
        ClusterKeys.Membership("net1", DriverBed.HostId),
    ];

    private static async Task<bool> AllExistAsync(DriverBed bed, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (await bed.Cluster.GetAsync(key, Ct) is null)
                return false;
        }
        return true;
    }

    private static async Task<bool> NoneExistAsync(DriverBed bed, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (await bed.Cluster.GetAsync(key, Ct) is not null)
                return false;
        }
        return true;
    }

    private static Task EventuallyAsync(Func<Task<bool>> condition, string what) =>
        Eventually.TrueAsync(() => condition().GetAwaiter().GetResult(), what);

    [Fact]
    public async Task Auto_DualWritesWhileAPreviousReleaseIsLive_ThenByHostOnly_LegacyCopiesRemoved_AndBackWhenOneReturns()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.PublishRemoteHostAsync("host-b", "192.0.2.2"); // a previous release: legacy layout, no announcement
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        await EventuallyAsync(() => AllExistAsync(bed, s_own), "legacy copies written for the previous release's host");
        Assert.True(await AllExistAsync(bed, s_own.Select(DriverBed.OwnKey)));
        Assert.True(bed.Driver.KeyLayout.WritesLegacy);
        Assert.Equal((KeyLayoutMode.Auto, true, true), (bed.Driver.GetStatus().KeyLayout.Mode, bed.Driver.GetStatus().KeyLayout.WritesByHost, bed.Driver.GetStatus().KeyLayout.WritesLegacy));

        // host-b restarts on this release: it announces the by-host layout, its legacy record goes.
        await bed.PublishByHostHostAsync("host-b", "192.0.2.2");
        await bed.Cluster.DeleteAsync(ClusterKeys.Host("host-b"), Ct);
        await EventuallyAsync(() => NoneExistAsync(bed, s_own), "this host's legacy copies removed");
        Assert.True(await AllExistAsync(bed, s_own.Select(DriverBed.OwnKey)));
        Assert.False(bed.Driver.KeyLayout.WritesLegacy);
        await Eventually.TrueAsync(() => bed.Driver.GetStatus().KeyLayout is { WritesByHost: true, WritesLegacy: false, Moving: false }, "status: writes by-host only, the move done");
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));

        // A host of the previous release starts again (a rollback): the legacy copies come back for it.
        await bed.PublishRemoteHostAsync("host-c", "192.0.2.3");
        await EventuallyAsync(() => AllExistAsync(bed, s_own), "legacy copies written again");
    }

    [Fact]
    public async Task Auto_Alone_WritesByHostOnly()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        Assert.True(await AllExistAsync(bed, s_own.Select(DriverBed.OwnKey)));
        Assert.True(await NoneExistAsync(bed, s_own));
        Assert.Single(await bed.Driver.ListMembersAsync("net1", Ct));
        Assert.Equal(DriverBed.HostId, Assert.Single(await bed.Driver.ListHostsAsync(Ct)).HostId);
        Assert.Equal(WriteLayout.ByHostAnnouncement, Assert.Single(await bed.Driver.ListHostsAsync(Ct)).KeyLayout);
    }

    [Fact]
    public async Task Host_NeverWritesLegacyKeys_EvenWithAPreviousReleaseLive()
    {
        await using var bed = await DriverBed.StartAsync(keyLayout: KeyLayoutMode.Host);
        await bed.PublishRemoteHostAsync("host-b", "192.0.2.2");
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await Eventually.TrueAsync(() => bed.Driver.ListPeers("net1").Count == 1, "own record seen through the watch");

        Assert.True(await AllExistAsync(bed, s_own.Select(DriverBed.OwnKey)));
        Assert.True(await NoneExistAsync(bed, s_own));
        await bed.Driver.DeleteNetworkAsync("net1", Ct);
        Assert.Empty((await bed.Cluster.ListAsync(ClusterKeys.ByHostPrefixOf(DriverBed.HostId) + "network-hosts/", Ct)).Entries); // its membership went
    }

    [Fact]
    public async Task PeersOfBothLayouts_Programmed_ARecordUnderAnotherHostsSegment_Refused()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.PublishRemoteHostAsync("host-b", "192.0.2.2"); // previous release
        await bed.PublishByHostHostAsync("host-c", "192.0.2.3"); // this release
        var legacy = DriverBed.Remote("net1", 1);
        var byHost = DriverBed.Remote("net1", 2, host: "host-c") with { Locator = "192.0.2.3" };
        var forged = DriverBed.Remote("net1", 3, host: "host-b"); // host-c's credential writing a record of host-b
        await bed.PublishRemoteAsync(legacy, withHost: false);
        await bed.PublishByHostAsync(byHost);
        await bed.PublishByHostAsync(forged, owner: "host-c");

        var ns = bed.Sandbox("net1");
        await Eventually.TrueAsync(() => ns.HasPeer(IPAddress.Parse("10.20.0.101"), Mac(legacy), IPAddress.Parse("192.0.2.2")), "legacy peer programmed");
        await Eventually.TrueAsync(() => ns.HasPeer(IPAddress.Parse("10.20.0.102"), Mac(byHost), IPAddress.Parse("192.0.2.3")), "by-host peer programmed");
        var forgedKey = ClusterKeys.ByHost(ClusterKeys.Endpoint("net1", forged.EndpointId), "host-c");
        await Eventually.TrueAsync(() => bed.Driver.InvalidRecords.Snapshot().Records.Any(r => r.Key == forgedKey && r.Reason.Contains("host segment", StringComparison.Ordinal)), "the forged record reported");
        Assert.DoesNotContain(bed.Driver.ListPeers("net1"), r => r.EndpointId == forged.EndpointId);

        // host-c moves its record (both copies, then by-host only): nothing changes in the kernel.
        await bed.PublishRemoteAsync(byHost, withHost: false);
        await bed.Cluster.DeleteAsync(ClusterKeys.Endpoint("net1", byHost.EndpointId), Ct);
        Assert.True(ns.HasPeer(IPAddress.Parse("10.20.0.102"), Mac(byHost), IPAddress.Parse("192.0.2.3")));
        await bed.DeleteRemoteAsync(byHost);
        await Eventually.TrueAsync(() => !ns.HasPeer(IPAddress.Parse("10.20.0.102"), Mac(byHost), IPAddress.Parse("192.0.2.3")), "its last copy's delete removes it");
    }

    [Fact]
    public async Task ForgetHost_ADeadHostOfThisRelease_ItsByHostRecordsGo()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        var record = DriverBed.Remote("net1", 1, host: "dead");
        await bed.PublishByHostAsync(record);
        var membership = ClusterKeys.ByHost(ClusterKeys.Membership("net1", "dead"), "dead")!;
        await bed.Cluster.PutAsync(membership, RecordStore.Encode(new NetworkMembership("net1", "dead", "x"), DriverJsonContext.Default.NetworkMembership), null, Ct);
        Assert.Equal(2, (await bed.Driver.ListMembersAsync("net1", Ct)).Count);

        var forgotten = await bed.Driver.ForgetHostAsync("dead", Ct);

        Assert.Equal(1, forgotten.EndpointRecords);
        Assert.Equal(1, forgotten.Memberships);
        Assert.Empty((await bed.Cluster.ListAsync(ClusterKeys.ByHostPrefixOf("dead"), Ct)).Entries);
        Assert.Equal(DriverBed.HostId, Assert.Single(await bed.Driver.ListMembersAsync("net1", Ct)).HostId);
    }

    private static PhysicalAddress Mac(EndpointRecord record) => PhysicalAddress.Parse(record.Mac.Replace(':', '-'));
}
