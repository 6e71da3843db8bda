using System.Net;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>DNP_NETNS_GRACE: the overlay namespace outlives its last endpoint for a while, and only for a while.</summary>
public sealed class GraceTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task LastEndpointGone_NamespaceKeptCurrent_NextJoinReusesIt()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_long);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await LeaveAndDeleteAsync(bed, "ep1");

        Assert.True(bed.Driver.IsSandboxOpen("net1"));
        Assert.NotNull(bed.Kernel.Namespace(bed.SandboxPath("net1")));
        await bed.VethDeletionsDoneAsync();
        Assert.Empty(bed.Sandbox("net1").Veths);
        var peer = DriverBed.Remote("net1", 1);
        await bed.PublishRemoteAsync(peer); // the watch keeps a namespace in grace current
        await Eventually.TrueAsync(() => bed.Sandbox("net1").Use(() => bed.Sandbox("net1").Fdb.Count) == 1, "peer programmed during the grace");
        await using (var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance))
        {
            var report = await reconciler.RunAsync(repair: false, CancellationToken.None);
            Assert.True(report.Clean, string.Join("; ", report.Remaining)); // within its grace: healthy
        }
        var opened = bed.Kernel.Opened;

        await bed.JoinNewAsync("net1", "ep2", "10.20.0.3/24");

        Assert.Equal(opened, bed.Kernel.Opened); // not rebuilt
        Assert.Contains(DeviceNames.SandboxSide("ep2"), bed.Sandbox("net1").Veths);
        Assert.True(bed.Sandbox("net1").HasPeer(IPAddress.Parse("10.20.0.101"), System.Net.NetworkInformation.PhysicalAddress.Parse(peer.Mac.Replace(':', '-')), IPAddress.Parse(peer.Locator)));
    }

    [Fact]
    public async Task GraceEnds_NamespaceRemoved()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_short);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        await LeaveAndDeleteAsync(bed, "ep1");

        await Eventually.TrueAsync(() => bed.Kernel.Namespace(bed.SandboxPath("net1")) is null, "namespace removed after its grace");
        Assert.False(bed.Driver.IsSandboxOpen("net1"));
    }

    [Fact]
    public async Task WithinGrace_RepairingReconcilerKeepsTheNamespace_AndReportsItHealthy()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_long);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await LeaveAndDeleteAsync(bed, "ep1");
        await bed.VethDeletionsDoneAsync();
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);

        var report = await reconciler.RunAsync(repair: true, CancellationToken.None);

        Assert.True(report.Clean, string.Join("; ", report.Remaining));
        Assert.Empty(report.Found);
        Assert.True(bed.Driver.IsSandboxOpen("net1"));
        Assert.NotNull(bed.Kernel.Namespace(bed.SandboxPath("net1")));
    }

    [Fact]
    public async Task GraceEnded_ButTheKernelRefusedTheRemoval_ReconcilerReportsAndRemovesIt()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_short);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        bed.Kernel.FailNextDestroy = true;

        await LeaveAndDeleteAsync(bed, "ep1");
        await Eventually.TrueAsync(() => !bed.Kernel.FailNextDestroy, "the grace timer tried to remove the namespace");

        Assert.True(bed.Driver.IsSandboxOpen("net1")); // still there: the removal failed
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        var check = await reconciler.RunAsync(repair: false, CancellationToken.None);
        var stale = Assert.Single(check.Remaining);
        Assert.Equal(DriftKinds.NamespaceStale, stale.Kind);
        Assert.Equal(DeviceNames.Sandbox("net1"), stale.Object);

        var repair = await reconciler.RunAsync(repair: true, CancellationToken.None);

        Assert.True(repair.Clean, string.Join("; ", repair.Remaining));
        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("net1")));
        Assert.False(bed.Driver.IsSandboxOpen("net1"));
    }

    [Fact]
    public async Task NetworkRemovedDuringGrace_TornDownAtOnce()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_long);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await LeaveAndDeleteAsync(bed, "ep1");

        await bed.Driver.DeleteNetworkAsync("net1", CancellationToken.None);

        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("net1")));
        Assert.Empty(bed.Driver.LocalNetworks());
    }

    [Fact]
    public async Task PluginRestartDuringGrace_NamespaceNotLeaked()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_long);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await LeaveAndDeleteAsync(bed, "ep1");

        bed.Grace = s_short;
        await bed.RestartAsync();

        Assert.True(bed.Driver.IsSandboxOpen("net1")); // a new grace: still usable by the next container
        await Eventually.TrueAsync(() => bed.Kernel.Namespace(bed.SandboxPath("net1")) is null, "namespace removed after the new grace");
    }

    [Fact]
    public async Task GraceZero_NamespaceRemovedWithTheLastEndpoint()
    {
        await using var bed = await DriverBed.StartAsync(grace: TimeSpan.Zero);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        await LeaveAndDeleteAsync(bed, "ep1");

        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("net1")));
    }

    private static async Task LeaveAndDeleteAsync(DriverBed bed, string endpoint)
    {
        await bed.Driver.LeaveAsync("net1", endpoint, CancellationToken.None);
        await bed.Driver.DeleteEndpointAsync("net1", endpoint, CancellationToken.None);
    }
}
