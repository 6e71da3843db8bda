using System.Net;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Trust;

/// <summary>The driver keeps the VXLAN guard in step with its networks and the cluster's live hosts.</summary>
public sealed class VxlanGuardWiringTests
{
    private static readonly IPAddress s_self = IPAddress.Parse("192.0.2.1");

    [Fact]
    public async Task NoNetwork_NoGuard_FirstNetworkBuildsIt_LastOneRemovesIt()
    {
        await using var bed = await DriverBed.StartAsync();
        Assert.False(bed.Guard.Present);
        Assert.Equal("idle", bed.Driver.GetStatus().VxlanGuard.State);

        await bed.CreateNetworkAsync("net1");
        Assert.True(bed.Guard.Present);
        Assert.Equal(4789, bed.Guard.Port);
        Assert.Equal([s_self], bed.Guard.Vteps);
        await bed.CreateNetworkAsync("net2", "10.21.0.0/24", "10.21.0.1/24");

        await bed.Driver.DeleteNetworkAsync("net1", CancellationToken.None);
        Assert.True(bed.Guard.Present);
        await bed.Driver.DeleteNetworkAsync("net2", CancellationToken.None);
        Assert.False(bed.Guard.Present);
    }

    [Fact]
    public async Task HostsComeAndGo_AllowedVtepsFollow_IncludingAHostThatJoinsLater()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.RegisterHostAsync("host-b", "192.0.2.2");
        await Eventually.TrueAsync(() => bed.Guard.Vteps.Contains(IPAddress.Parse("192.0.2.2")), "host-b's VTEP allowed");

        await bed.RegisterHostAsync("host-late", "192.0.2.9");
        await Eventually.TrueAsync(() => bed.Guard.Vteps.Contains(IPAddress.Parse("192.0.2.9")), "a host that joins later is allowed");

        await bed.Cluster.DeleteAsync(Cluster.ClusterKeys.Host("host-b"), CancellationToken.None);
        await Eventually.TrueAsync(() => !bed.Guard.Vteps.Contains(IPAddress.Parse("192.0.2.2")), "a host that left is no longer allowed");
        Assert.Contains(s_self, bed.Guard.Vteps);

        await bed.PutRawAsync(Cluster.ClusterKeys.Host("liar"), """{"hostId":"other","locator":"203.0.113.5"}""");
        await bed.RegisterHostAsync("host-c", "192.0.2.3");
        await Eventually.TrueAsync(() => bed.Guard.Vteps.Contains(IPAddress.Parse("192.0.2.3")), "host-c allowed");
        Assert.DoesNotContain(IPAddress.Parse("203.0.113.5"), bed.Guard.Vteps); // an invalid host record lets nobody in
    }

    [Fact]
    public async Task Status_ShowsDrops_AndDoctorRebuildsATableDeletedByHand()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        bed.Guard.Dropped = 7;

        var status = bed.Driver.GetStatus().VxlanGuard;
        Assert.Equal(("active", 7UL, 700UL), (status.State, status.DroppedPackets, status.DroppedBytes));

        bed.Guard.DeleteByHand();
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        var check = await reconciler.RunAsync(repair: false, CancellationToken.None);
        Assert.Contains(check.Found, d => d.Kind == DriftKinds.GuardMissing);
        var repaired = await reconciler.RunAsync(repair: true, CancellationToken.None);
        Assert.True(repaired.Clean, string.Join("; ", repaired.Remaining));
        Assert.True(bed.Guard.Present);
    }

    [Fact]
    public async Task KernelFailure_ReportedInStatus_RetriedByTheNextHostChange()
    {
        await using var bed = await DriverBed.StartAsync();
        bed.Guard.FailNext = true;
        await bed.CreateNetworkAsync("net1"); // the network is created; the guard's failure is reported, not thrown

        Assert.Equal("failed", bed.Driver.GetStatus().VxlanGuard.State);
        await bed.RegisterHostAsync("host-b", "192.0.2.2");
        await Eventually.TrueAsync(() => bed.Guard.Present && bed.Guard.Vteps.Count == 2, "built on the next host change");
        Assert.Equal("active", bed.Driver.GetStatus().VxlanGuard.State);
    }

    [Fact]
    public async Task Restart_WithNetworks_KeepsTheGuard()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.RestartAsync();
        Assert.True(bed.Guard.Present);
        Assert.Equal("active", bed.Driver.GetStatus().VxlanGuard.State);
    }
}
