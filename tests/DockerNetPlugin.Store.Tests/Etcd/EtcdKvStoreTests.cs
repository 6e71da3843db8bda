using System.Text;
using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>etcd-only behaviour: failover between endpoints and health.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreTests(EtcdServerFixture etcd)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task GetAsync_FirstEndpointDead_FailsOverToTheNext()
    {
        var dead = new Uri($"http://127.0.0.1:{EtcdServerFixture.FreePort()}");
        await using var store = await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [dead, etcd.ClientUrl] }, null, Ct);

        await store.PutAsync("failover/k", "v"u8.ToArray(), null, Ct);

        Assert.Equal("v", Encoding.UTF8.GetString((await store.GetAsync("failover/k", Ct))!.Value.Span));
        Assert.Contains(dead.Authority, store.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_LiveServer_ReportsVersionAndLeader()
    {
        await using var store = await EtcdKvStore.ConnectAsync(new EtcdOptions { Endpoints = [etcd.ClientUrl] }, null, Ct);

        var health = await store.CheckHealthAsync(Ct);

        Assert.True(health.Healthy, health.Detail);
        Assert.Contains("etcd 3.", health.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lost_ServerDownLongerThanTtl_FiresAndRegrantWorksAfterwards()
    {
        await using var store = await EtcdTestStores.ConnectAsync(etcd);
        var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2), Ct);
        await store.PutAsync("outage/node", "me"u8.ToArray(), lease, Ct);
        var lost = new TaskCompletionSource();
        using var registration = lease.Lost.Register(() => lost.TrySetResult());

        await etcd.StopAsync();
        try
        {
            var fired = await Task.WhenAny(lost.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(lost.Task, fired);
        }
        finally
        {
            await etcd.StartAsync();
        }

        await using var fresh = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2), Ct);
        await store.PutAsync("outage/node", "me"u8.ToArray(), fresh, Ct);
        Assert.Equal(fresh.Id, (await store.GetAsync("outage/node", Ct))!.LeaseId);
        await lease.DisposeAsync();
    }
}
