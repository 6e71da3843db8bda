using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the lease-resume suite: the next process is a new client of the same server.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreLeaseResumeConformanceTests(EtcdServerFixture etcd) : KvStoreLeaseResumeConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override async Task<IKvStore> NextProcessAsync()
    {
        await Store.DisposeAsync();
        return await CreateStoreAsync();
    }
}
