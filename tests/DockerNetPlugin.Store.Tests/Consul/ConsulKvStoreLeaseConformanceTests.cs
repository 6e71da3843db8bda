using DockerNetPlugin.Store.Tests.Conformance;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>Consul leases (TTL sessions, Behavior=delete) against the lease suite, on the emulator with sub-second session TTLs.</summary>
public sealed class ConsulKvStoreLeaseConformanceTests : KvStoreLeaseConformanceTests
{
    private readonly ConsulEmulatorHarness _server = new();

    protected override Task<IKvStore> CreateStoreAsync() => _server.OpenStoreAsync();

    protected override Task StopKeepAliveAsync(ILease lease) => ConsulTestServer.StopRenewalsAsync(lease);

    protected override Task RevokeBehindOwnersBackAsync(ILease lease)
    {
        _server.Emulator.ExpireSession(lease.Id);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
