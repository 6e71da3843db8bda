using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>How the etcd tests open clients: short retry budgets so failures show quickly.</summary>
internal static class EtcdTestStores
{
    public static async Task<IKvStore> ConnectAsync(EtcdServerFixture etcd) =>
        await EtcdKvStore.ConnectAsync(new EtcdOptions
        {
            Endpoints = [etcd.ClientUrl],
            Retry = new StoreRetryPolicy(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20)),
        }, null, CancellationToken.None);

    /// <summary>A client of a loopback port where nothing listens.</summary>
    public static async Task<IKvStore> ConnectUnreachableAsync() =>
        await EtcdKvStore.ConnectAsync(new EtcdOptions
        {
            Endpoints = [new Uri($"http://127.0.0.1:{EtcdServerFixture.FreePort()}")],
            Retry = new StoreRetryPolicy(4, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5)),
        }, null, CancellationToken.None);
}
