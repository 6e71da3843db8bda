using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>The emulator restarts (keeping its data) under a running client and watch.</summary>
public sealed class ConsulKvStoreReconnectConformanceTests : KvStoreReconnectConformanceTests
{
    private readonly ConsulEmulatorHarness _server = new();

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    protected override Task RestartServerAsync() => _server.Emulator.RestartAsync(keepData: true);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
