namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// The etcd backend against the core suite over TLS, on a real etcd that requires client certificates; the store is
/// opened from <c>DNP_STORE=etcds://…</c> with DNP_ETCD_CACERT, DNP_ETCD_CERT and DNP_ETCD_KEY, as an operator would.
/// </summary>
[Collection(EtcdTlsCollection.Name)]
public sealed class EtcdKvStoreTlsConformanceTests(EtcdTlsServerFixture etcd) : EtcdKvStoreConformanceTests(etcd.Etcd, etcd.OpenFromEnvironmentAsync)
{
    // The load tests run smaller here: the plain run proves etcd's slow-watcher path and CAS under load, this one the same semantics through TLS.
    protected override int SlowConsumerWrites => 600;

    protected override int SlowConsumerValueBytes => 4096;

    protected override int IncrementsPerTask => 10;

    protected override Task WhileConsumerPausedAsync() => Task.CompletedTask;
}
