using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>The emulator comes back empty (a dev-mode Consul restarted): the same client must fail cached CAS cleanly.</summary>
public sealed class ConsulKvStoreResetConformanceTests : KvStoreResetConformanceTests
{
    private readonly ConsulEmulatorHarness _server = new();

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    protected override async Task<IKvStore> WipeAsync()
    {
        await _server.Emulator.RestartAsync(keepData: false);
        return Store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
