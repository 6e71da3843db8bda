using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd backend against the compaction suite: a real etcd compaction.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKvStoreCompactionConformanceTests(EtcdServerFixture etcd) : KvStoreCompactionConformanceTests
{
    protected override Task<IKvStore> CreateStoreAsync() => EtcdTestStores.ConnectAsync(etcd);

    protected override async Task CompactAsync()
    {
        var revision = (await Store.ListAsync(Prefix, CancellationToken.None)).Revision;
        await ((EtcdKvStore)Store).CompactAsync(revision, CancellationToken.None);
    }
}
