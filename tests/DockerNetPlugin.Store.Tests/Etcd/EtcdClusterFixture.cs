namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>An xunit fixture around <see cref="LoopbackEtcdCluster"/>: three members started once, killed and their dirs removed at the end.</summary>
public sealed class EtcdClusterFixture : LoopbackEtcdCluster, IAsyncLifetime
{
    public Task InitializeAsync() => StartNewAsync();

    public Task DisposeAsync() => StopAndDeleteAsync();
}

/// <summary>The three-member cluster tests run one after another (they kill members).</summary>
[CollectionDefinition(Name)]
public sealed class EtcdClusterCollection : ICollectionFixture<EtcdClusterFixture>
{
    public const string Name = "etcd-cluster";
}
