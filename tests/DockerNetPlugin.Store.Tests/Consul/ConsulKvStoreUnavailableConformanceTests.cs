using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>A Consul address where nothing listens gives StoreUnavailableException within the retry budget.</summary>
public sealed class ConsulKvStoreUnavailableConformanceTests : KvStoreUnavailableConformanceTests
{
    private readonly ConsulEmulatorHarness _server = new();

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    protected override Task<IKvStore> CreateUnreachableStoreAsync()
    {
        var options = ConsulTestServer.FastOptions(ConsulTestServer.UnusedAddress());
        return ConsulKvStore.ConnectAsync(new ConsulOptions
        {
            Address = options.Address,
            RequestTimeout = options.RequestTimeout,
            RetryBudget = TimeSpan.FromSeconds(1),
            RetryInitialDelay = options.RetryInitialDelay,
            RetryMaxDelay = options.RetryMaxDelay,
        }, null, CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
