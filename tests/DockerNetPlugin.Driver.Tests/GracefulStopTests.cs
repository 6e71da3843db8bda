using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Local;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>A plugin stop is not a host's death: the records stay in the store across a stop and a start.</summary>
public sealed class GracefulStopTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Restart_RecordsNeverLeaveTheStore_AndGoBackUnderAFreshLease()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var before = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct);
        var hostBefore = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Host(DriverBed.HostId)), Ct);
        Assert.NotNull(before);
        Assert.NotNull(hostBefore);
        var seen = new List<WatchEvent>();
        var watch = WatchAsync(bed.Cluster, (await bed.Cluster.ListAsync(ClusterKeys.ByHostPrefix, Ct)).Revision, seen);

        await bed.RestartAsync();
        await watch; // ends when the stopping plugin closes the store

        Assert.DoesNotContain(seen, e => e is KvDeleted or KvResync);
        Assert.NotEmpty(seen.OfType<KvPut>()); // handed to the parking lease
        var after = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct);
        var hostAfter = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Host(DriverBed.HostId)), Ct);
        Assert.NotNull(after);
        Assert.NotNull(hostAfter);
        Assert.Equal(before.CreateVersion, after.CreateVersion); // never deleted and created again
        Assert.Equal(hostBefore.CreateVersion, hostAfter.CreateVersion);
        Assert.Equal(before.Value.ToArray(), after.Value.ToArray());
        var (current, resumed) = bed.Driver.LeaseIds;
        Assert.Null(resumed); // the parking lease was taken over and revoked
        Assert.Equal(current, after.LeaseId);
        Assert.Equal(current, hostAfter.LeaseId);
        Assert.NotEqual(before.LeaseId, after.LeaseId);
    }

    [Fact]
    public async Task Restart_AnEndpointLeftWhileStopped_OnlyItsRecordGoes()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.JoinNewAsync("net1", "ep2", "10.20.0.3/24");
        var kept = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct);

        await bed.RestartAsync(async localDir =>
        {
            // ep2 left while the plugin was down (its container removed): this host no longer has it.
            await using var local = await FileKvStore.OpenAsync(localDir, Ct);
            await local.DeleteAsync(ClusterKeys.LocalEndpoint("net1", "ep2"), Ct);
        });

        Assert.False(await bed.RecordExistsAsync("net1", "ep2"));
        Assert.Equal(kept!.CreateVersion, (await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct))!.CreateVersion);
    }

    [Fact]
    public async Task Restart_TwiceInARow_RecordsStayEachTime()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var before = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct);

        await bed.RestartAsync();
        await bed.RestartAsync();

        var after = await bed.Cluster.GetAsync(DriverBed.OwnKey(ClusterKeys.Endpoint("net1", "ep1")), Ct);
        Assert.Equal(before!.CreateVersion, after!.CreateVersion);
        Assert.Equal(bed.Driver.LeaseIds.Current, after.LeaseId);
    }

    private static async Task WatchAsync(IKvStore store, ulong from, List<WatchEvent> seen)
    {
        try
        {
            await foreach (var e in store.WatchPrefixAsync(ClusterKeys.ByHostPrefix, from, Ct))
            {
                lock (seen)
                    seen.Add(e);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
