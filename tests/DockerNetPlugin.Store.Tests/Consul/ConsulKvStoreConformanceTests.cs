using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>The Consul backend against the core conformance suite, served by the emulator (plain HTTP; the TLS run derives from this).</summary>
public class ConsulKvStoreConformanceTests : KvStoreConformanceTests
{
    private readonly ConsulEmulatorHarness _server;

    public ConsulKvStoreConformanceTests()
        : this(new ConsulEmulatorHarness())
    {
    }

    private protected ConsulKvStoreConformanceTests(ConsulEmulatorHarness server) => _server = server;

    /// <summary>The watch is pull-based (one blocking query per read), so a slow reader buffers nothing and needs no resync.</summary>
    protected override bool SlowConsumerGetsResync => false;

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
