using DockerNetPlugin.Store;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>Consul sessions against the lease-resume suite, on the emulator: the next process is a new client.</summary>
public sealed class ConsulKvStoreLeaseResumeConformanceTests : KvStoreLeaseResumeConformanceTests
{
    private readonly ConsulEmulatorHarness _server = new();

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    protected override async Task<IKvStore> NextProcessAsync()
    {
        await Store.DisposeAsync();
        return await CreateStoreAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
