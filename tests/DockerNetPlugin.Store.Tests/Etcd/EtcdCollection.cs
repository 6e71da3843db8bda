namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>All etcd test classes share one server and run one after another (some restart or wipe it).</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdServerFixture>
{
    public const string Name = "etcd";
}
