namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The etcd-over-TLS test classes share one TLS-only server.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdTlsCollection : ICollectionFixture<EtcdTlsServerFixture>
{
    public const string Name = "etcd-tls";
}
