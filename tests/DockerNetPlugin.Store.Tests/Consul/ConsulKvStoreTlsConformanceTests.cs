using DockerNetPlugin.Store.Tests.Tls;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>
/// The core conformance suite over HTTPS: the emulator (not a real Consul) serves only TLS with a generated server
/// certificate and requires a client certificate; the store is configured by CONSUL_CACERT, CONSUL_CLIENT_CERT and
/// CONSUL_CLIENT_KEY as an operator would.
/// </summary>
public sealed class ConsulKvStoreTlsConformanceTests(TestPki pki) : ConsulKvStoreConformanceTests(new ConsulEmulatorHarness(pki)), IClassFixture<TestPki>
{
}
