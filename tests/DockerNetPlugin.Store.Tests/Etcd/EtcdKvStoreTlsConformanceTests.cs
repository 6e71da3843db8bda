namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// The etcd backend against the core suite over TLS, on a real etcd that requires client certificates; the store is
/// opened from <c>DNP_STORE=etcds://…</c> with DNP_ETCD_CACERT, DNP_ETCD_CERT and DNP_ETCD_KEY, as an operator would.
/// </summary>
[Collection(EtcdTlsCollection.Name)]
public sealed class EtcdKvStoreTlsConformanceTests(EtcdTlsServerFixture etcd) : EtcdKvStoreConformanceTests(etcd.Etcd, etcd.OpenFromEnvironmentAsync)
{
}
