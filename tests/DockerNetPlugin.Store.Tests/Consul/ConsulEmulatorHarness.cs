using DockerNetPlugin.Store.Tests.Consul.Emulator;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>One emulator per test class instance (started on first use) and stores opened against it.</summary>
internal sealed class ConsulEmulatorHarness : IAsyncDisposable
{
    private ConsulEmulator? _emulator;

    public ConsulEmulator Emulator => _emulator ?? throw new InvalidOperationException("no store was opened yet");

    public async Task<IKvStore> OpenStoreAsync()
    {
        _emulator ??= await ConsulTestServer.StartEmulatorAsync();
        return await ConsulTestServer.OpenAsync(_emulator.Address);
    }

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
            await _emulator.DisposeAsync();
    }
}
