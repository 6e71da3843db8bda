using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>
/// Leave and DeleteEndpoint reply before the endpoint's veth pair is deleted (the kernel's RCU wait stays off the call);
/// the reaper deletes it after. Nothing may tell the difference: not a Join that reuses the names or the MAC at once,
/// not the reconciler, and a deletion that fails is the reconciler's to finish.
/// </summary>
public sealed class DeferredVethTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(30);
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Leave_RepliesWhileTheKernelStillDeletes_AndNobodyCallsThePairALeak()
    {
        await using var bed = await JoinedAsync("ep1");
        var veth = DeviceNames.SandboxSide("ep1");
        bed.Kernel.HoldVethDelete(veth);

        await bed.Driver.LeaveAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard); // the kernel call is held: Leave does not wait for it
        await bed.Driver.DeleteEndpointAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard);
        await bed.Kernel.VethDeleteStarted(veth).WaitAsync(s_hangGuard);

        Assert.Contains(veth, bed.Sandbox("net1").Veths);
        Assert.True(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
        Assert.False(await bed.RecordExistsAsync("net1", "ep1"));
        await using (var doctor = new Reconciler(bed.Driver, null, NullLogger.Instance))
        {
            var report = await doctor.RunAsync(repair: false, Ct);
            Assert.True(report.Clean, string.Join("; ", report.Remaining)); // being deleted is not a leak
        }

        bed.Kernel.ReleaseVethDelete(veth);
        await bed.VethDeletionsDoneAsync();
        Assert.DoesNotContain(veth, bed.Sandbox("net1").Veths);
        Assert.False(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
    }

    [Fact]
    public async Task JoinRightAfterLeave_SameEndpoint_WaitsForTheRunningDeletion_AndKeepsItsNewPair()
    {
        await using var bed = await JoinedAsync("ep1");
        var veth = await LeaveWithDeletionHeldAsync(bed, "ep1");

        var join = bed.Driver.JoinAsync("net1", "ep1", Ct); // the same device names as the pair being deleted
        bed.Kernel.ReleaseVethDelete(veth);
        await join.WaitAsync(s_hangGuard);
        await bed.VethDeletionsDoneAsync();

        Assert.Equal(new[] { "+" + veth, "-" + veth, "+" + veth }, bed.Kernel.VethLog);
        Assert.Contains(veth, bed.Sandbox("net1").Veths);
        Assert.True(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
        await AssertCleanAsync(bed);
    }

    [Fact]
    public async Task JoinRightAfterLeave_QueuedDeletion_TheJoinDeletesTheOldPairItself_AndTheReaperLeavesTheNewOne()
    {
        await using var bed = await JoinedAsync("ep0", "ep1");
        var veth1 = DeviceNames.SandboxSide("ep1");
        var veth0 = await LeaveWithDeletionHeldAsync(bed, "ep0"); // the reaper is stuck on ep0: ep1's deletion waits in its queue
        await bed.Driver.LeaveAsync("net1", "ep1", Ct);

        await bed.Driver.JoinAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard); // never waits for ep0's unrelated deletion

        Assert.Equal(new[] { "+" + veth0, "+" + veth1, "-" + veth1, "+" + veth1 }, bed.Kernel.VethLog);
        bed.Kernel.ReleaseVethDelete(veth0);
        await bed.VethDeletionsDoneAsync();
        Assert.Equal(1, bed.Kernel.VethDeletes.Count(d => d == veth1)); // deleted once, by the Join, never again by the reaper
        Assert.Equal(new[] { veth1 }, bed.Sandbox("net1").Veths.ToArray());
        await AssertCleanAsync(bed);
    }

    [Fact]
    public async Task AddressHandedOnAtOnce_NewEndpointWithTheSameMac_OldPairGoesBeforeTheNewOneIsMade()
    {
        await using var bed = await JoinedAsync("old");
        var oldVeth = DeviceNames.SandboxSide("old");
        bed.Kernel.HoldVethDelete(oldVeth);
        await bed.Driver.LeaveAsync("net1", "old", Ct);
        await bed.Driver.DeleteEndpointAsync("net1", "old", Ct);
        await bed.Kernel.VethDeleteStarted(oldVeth).WaitAsync(s_hangGuard);

        await bed.CreateEndpointAsync("net1", "new", "10.20.0.2/24"); // same address, so the same MAC (02:42 + IP) on the same br0
        var join = bed.Driver.JoinAsync("net1", "new", Ct);
        bed.Kernel.ReleaseVethDelete(oldVeth);
        await join.WaitAsync(s_hangGuard);

        Assert.Equal(new[] { "+" + oldVeth, "-" + oldVeth, "+" + DeviceNames.SandboxSide("new") }, bed.Kernel.VethLog);
        await AssertCleanAsync(bed);
    }

    [Fact]
    public async Task DeleteNetwork_FinishesTheNetworksPendingDeletions_BeforeItReturns()
    {
        await using var bed = await JoinedAsync("ep1", "ep2");
        var veth2 = DeviceNames.SandboxSide("ep2");
        var veth1 = await LeaveWithDeletionHeldAsync(bed, "ep1"); // running, held; ep2's waits in the queue behind it
        await bed.Driver.LeaveAsync("net1", "ep2", Ct);
        Assert.Equal(2, bed.Driver.GetStatus().PendingVethDeletions); // what `dnp status` shows meanwhile

        var delete = bed.Driver.DeleteNetworkAsync("net1", Ct);
        bed.Kernel.ReleaseVethDelete(veth1);
        await delete.WaitAsync(s_hangGuard);

        Assert.Equal(0, bed.Driver.PendingVethDeletions);
        Assert.False(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
        Assert.False(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep2")));
        Assert.Contains("-" + veth1, bed.Kernel.VethLog);
        Assert.Contains("-" + veth2, bed.Kernel.VethLog);
        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("net1")));
    }

    [Fact]
    public async Task DeferredDeletionFails_TheReconcilerFindsThePairAndDeletesIt()
    {
        await using var bed = await JoinedAsync("ep1", "ep2");
        bed.Kernel.FailVethDeletes = 1;

        await bed.Driver.LeaveAsync("net1", "ep1", Ct);
        await bed.Driver.DeleteEndpointAsync("net1", "ep1", Ct); // the calls succeed: the failure is the reaper's
        await bed.VethDeletionsDoneAsync();
        var veth = DeviceNames.SandboxSide("ep1");
        Assert.Contains(veth, bed.Sandbox("net1").Veths);

        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        var check = await reconciler.RunAsync(repair: false, Ct);
        var stale = Assert.Single(check.Remaining, d => d.Kind == DriftKinds.VethStale);
        Assert.Equal(veth, stale.Object);
        var repair = await reconciler.RunAsync(repair: true, Ct);

        Assert.True(repair.Clean, string.Join("; ", repair.Remaining));
        Assert.Contains(repair.Repaired, d => d.Kind == DriftKinds.VethStale && d.Object == veth);
        Assert.Equal(new[] { DeviceNames.SandboxSide("ep2") }, bed.Sandbox("net1").Veths.ToArray());
        Assert.False(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
    }

    [Fact]
    public async Task DeletionNotDoneBeforeAStop_TheNextStartsReconcilerDeletesThePair()
    {
        await using var bed = await JoinedAsync("ep1", "ep2");
        bed.Kernel.FailVethDeletes = 1; // as a crash right after the reply would leave it: state says left, the pair is there
        await bed.Driver.LeaveAsync("net1", "ep1", Ct);
        await bed.VethDeletionsDoneAsync();

        await bed.RestartAsync();
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        var report = await reconciler.RunAsync(repair: true, Ct);

        Assert.True(report.Clean, string.Join("; ", report.Remaining));
        Assert.Contains(report.Repaired, d => d.Kind == DriftKinds.VethStale && d.Object == DeviceNames.SandboxSide("ep1"));
        Assert.Equal(new[] { DeviceNames.SandboxSide("ep2") }, bed.Sandbox("net1").Veths.ToArray());
        await bed.Driver.JoinAsync("net1", "ep1", Ct); // and the endpoint can join again
        Assert.Contains(DeviceNames.SandboxSide("ep1"), bed.Sandbox("net1").Veths);
    }

    [Fact]
    public async Task JoinFailsHalfWayInTheKernel_LeavesNoVethNoRecordNoNamespaceWithPeerEntries()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_long);
        await bed.CreateNetworkAsync("net1");
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 1)); // a namespace built now gets this peer's entries
        await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        bed.Kernel.FailNextAttach = true;

        await Assert.ThrowsAsync<DataPathException>(() => bed.Driver.JoinAsync("net1", "ep1", Ct));

        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("net1"))); // the namespace this Join built went, with its neighbour and FDB entries
        Assert.False(bed.Driver.IsSandboxOpen("net1"));
        Assert.False(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
        Assert.Equal(new[] { "+" + DeviceNames.SandboxSide("ep1"), "-" + DeviceNames.SandboxSide("ep1") }, bed.Kernel.VethLog);
        Assert.False(await bed.RecordExistsAsync("net1", "ep1"));
        Assert.False((await LocalEndpointAsync(bed, "ep1")).Joined);

        await bed.Driver.JoinAsync("net1", "ep1", Ct); // the endpoint is as before the failed Join
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
    }

    [Fact]
    public async Task JoinFailsAfterItsStateWasWritten_StateRolledBack_VethGone_NothingPublished()
    {
        await using var bed = await DriverBed.StartAsync(grace: s_long, storeCallTimeout: TimeSpan.FromMilliseconds(200));
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.CreateEndpointAsync("net1", "ep2", "10.20.0.3/24");
        bed.ClusterGate.Hold = key => key == ClusterKeys.Endpoint("net1", "ep1"); // ep1's withdraw stays pending, its mark kept
        await bed.Driver.LeaveAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard);
        await bed.Driver.DeleteEndpointAsync("net1", "ep2", Ct);
        await bed.VethDeletionsDoneAsync();
        bed.LocalGate.Fail = key => key == ClusterKeys.LocalWithdraw("net1", "ep1"); // the re-publish must drop the mark: refused

        await Assert.ThrowsAnyAsync<Store.StoreException>(() => bed.Driver.JoinAsync("net1", "ep1", Ct));

        Assert.False((await LocalEndpointAsync(bed, "ep1")).Joined);
        Assert.DoesNotContain(DeviceNames.SandboxSide("ep1"), bed.Sandbox("net1").Veths);
        Assert.False(bed.Kernel.HasHostDevice(DeviceNames.ContainerSide("ep1")));
        bed.LocalGate.Fail = _ => false;
        bed.ClusterGate.Release();
        await Eventually.TrueAsync(async () => !await bed.RecordExistsAsync("net1", "ep1"), "ep1's withdraw done"); // the failed Join published nothing

        await bed.Driver.JoinAsync("net1", "ep1", Ct);
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
    }

    /// <summary>A driver with a long grace and network net1 on which <paramref name="endpoints"/> are joined (10.20.0.2, .3, …).</summary>
    private static async Task<DriverBed> JoinedAsync(params string[] endpoints)
    {
        var bed = await DriverBed.StartAsync(grace: s_long);
        await bed.CreateNetworkAsync("net1");
        for (var i = 0; i < endpoints.Length; i++)
            await bed.JoinNewAsync("net1", endpoints[i], $"10.20.0.{2 + i}/24");
        return bed;
    }

    /// <summary>Leaves <paramref name="endpoint"/> of net1 with the deletion of its veth held in the kernel; returns the veth once its deletion started.</summary>
    private static async Task<string> LeaveWithDeletionHeldAsync(DriverBed bed, string endpoint)
    {
        var veth = DeviceNames.SandboxSide(endpoint);
        bed.Kernel.HoldVethDelete(veth);
        await bed.Driver.LeaveAsync("net1", endpoint, Ct);
        await bed.Kernel.VethDeleteStarted(veth).WaitAsync(s_hangGuard);
        return veth;
    }

    private static async Task<LocalEndpoint> LocalEndpointAsync(DriverBed bed, string endpoint)
    {
        var entry = await bed.Local.GetAsync(ClusterKeys.LocalEndpoint("net1", endpoint), Ct) ?? throw new InvalidOperationException($"no local state for {endpoint}");
        return RecordStore.Decode(entry, DriverJsonContext.Default.LocalEndpoint);
    }

    private static async Task AssertCleanAsync(DriverBed bed)
    {
        await bed.VethDeletionsDoneAsync();
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        var report = await reconciler.RunAsync(repair: false, Ct);
        Assert.True(report.Clean, string.Join("; ", report.Remaining));
    }
}
