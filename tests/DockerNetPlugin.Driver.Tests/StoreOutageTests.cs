using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>
/// Plugin calls never hang on the store: Join, Leave and DeleteEndpoint succeed on their local work while the store
/// hangs (as silent etcd members do) and their record writes reach the store once it answers again, also after a
/// restart. The calls are checked to return while the store still hangs, never against a clock.
/// </summary>
public sealed class StoreOutageTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan s_storeTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(30); // only stops a hung test

    [Fact]
    public async Task StoreHangs_JoinLeaveDeleteEndpoint_ReturnOnLocalWork_AndTheRecordWritesCatchUp()
    {
        await using var bed = await DriverBed.StartAsync(storeCallTimeout: s_storeTimeout);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "before", "10.20.0.2/24");
        await bed.CreateEndpointAsync("net1", "fresh", "10.20.0.3/24");
        // Join waits for its record only s_storeTimeout: on a loaded machine it may still be on its way.
        await Eventually.TrueAsync(() => bed.RecordExistsAsync("net1", "before"), "the first record in the store before it hangs");
        bed.ClusterGate.Hold = key => OwnedKey.TryParse(key) is { Kind: OwnedKind.Endpoint };

        var joined = await bed.Driver.JoinAsync("net1", "fresh", Ct).WaitAsync(s_hangGuard);
        await bed.Driver.LeaveAsync("net1", "before", Ct).WaitAsync(s_hangGuard);
        await bed.Driver.DeleteEndpointAsync("net1", "before", Ct).WaitAsync(s_hangGuard);

        // Every call returned while the store still hangs: the local work is done, the store not yet told (the
        // background writer's first write is held there; on a loaded machine it may get there after the calls returned).
        await bed.ClusterGate.Held.Task.WaitAsync(s_hangGuard);
        var ns = bed.Sandbox("net1");
        await bed.VethDeletionsDoneAsync(); // the kernel never waits on the store either
        Assert.Contains(DeviceNames.SandboxSide("fresh"), ns.Veths);
        Assert.True(bed.Kernel.HasHostDevice(joined.SourceInterfaceName));
        Assert.DoesNotContain(DeviceNames.SandboxSide("before"), ns.Veths);
        Assert.Equal(1, bed.Driver.GetStatus().Networks.Single().LocalEndpoints);
        Assert.True(await bed.RecordExistsAsync("net1", "before"));
        Assert.False(await bed.RecordExistsAsync("net1", "fresh"));
        Assert.Equal(2, bed.Driver.PendingRecordWrites);
        Assert.NotNull(await bed.Local.GetAsync(ClusterKeys.LocalWithdraw("net1", "before"), Ct));

        bed.ClusterGate.Release();

        await Eventually.TrueAsync(async () => await bed.RecordExistsAsync("net1", "fresh") && !await bed.RecordExistsAsync("net1", "before"),
            "the deferred publish and withdraw reach the store once it answers");
        await Eventually.TrueAsync(() => bed.Driver.PendingRecordWrites == 0, "nothing left to write");
        Assert.Null(await bed.Local.GetAsync(ClusterKeys.LocalWithdraw("net1", "before"), Ct));
    }

    [Fact]
    public async Task StoreHangs_LeaveThenRestart_TheWithdrawIsDoneByTheNextStart()
    {
        await using var bed = await DriverBed.StartAsync(storeCallTimeout: s_storeTimeout);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.JoinNewAsync("net1", "ep2", "10.20.0.3/24");
        var record = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct);
        bed.ClusterGate.Hold = key => key == DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1"));

        await bed.Driver.LeaveAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard);
        Assert.True(bed.ClusterGate.Held.Task.IsCompleted);
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));

        await bed.RestartAsync(async localDir =>
        {
            // The withdraw is marked in the state dir; the store still holds the record (here without a lease, as a
            // store that never heard of the stop would): only the mark can take it out now.
            await using var local = await FileKvStore.OpenAsync(localDir, Ct);
            Assert.NotNull(await local.GetAsync(ClusterKeys.LocalWithdraw("net1", "ep1"), Ct));
            await using var cluster = await FileKvStore.OpenAsync(bed.ClusterDirectory, Ct);
            await cluster.PutAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), record!.Value, null, Ct);
        });

        await Eventually.TrueAsync(async () => !await bed.RecordExistsAsync("net1", "ep1"), "the withdraw left by the previous run is done");
        await Eventually.TrueAsync(() => bed.Driver.PendingRecordWrites == 0, "nothing left to write");
        Assert.Null(await bed.Local.GetAsync(ClusterKeys.LocalWithdraw("net1", "ep1"), Ct));
        Assert.True(await bed.RecordExistsAsync("net1", "ep2"));
    }

    [Fact]
    public async Task LeaveThenJoinAgain_WhileTheStoreHangs_TheRecordEndsPublished()
    {
        await using var bed = await DriverBed.StartAsync(storeCallTimeout: s_storeTimeout);
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        bed.ClusterGate.Hold = key => key == DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1"));

        await bed.Driver.LeaveAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard);
        await bed.Driver.JoinAsync("net1", "ep1", Ct).WaitAsync(s_hangGuard);
        Assert.Null(await bed.Local.GetAsync(ClusterKeys.LocalWithdraw("net1", "ep1"), Ct)); // wanted again: no withdraw at the next start
        bed.ClusterGate.Release();

        await Eventually.TrueAsync(() => bed.Driver.PendingRecordWrites == 0, "nothing left to write");
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
    }

    [Fact]
    public async Task StoreDeadline_NamesTheStore_WhileTheCallersOwnCancellationStaysACancellation()
    {
        var hang = new TaskCompletionSource<int>();
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            StoreDeadline.RunAsync("etcd at http://192.0.2.9:2379", s_storeTimeout, t => hang.Task.WaitAsync(t), Ct));
        Assert.Contains("etcd at http://192.0.2.9:2379", e.Message, StringComparison.Ordinal);

        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StoreDeadline.RunAsync("etcd at http://192.0.2.9:2379", s_hangGuard, t => hang.Task.WaitAsync(t), stop.Token));
    }
}
