using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>Durability across an emulator restart that keeps its data (as a Consul with a data dir does).</summary>
public sealed class ConsulKvStoreRestartConformanceTests : KvStoreRestartConformanceTests
{
    private readonly ConsulEmulatorHarness _server = new();

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    protected override async Task<IKvStore> RestartAsync()
    {
        await _server.Emulator.RestartAsync(keepData: true);
        return Store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
