using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Emulators.Consul;
using DockerNetPlugin.Store.Tests.Tls;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>
/// One emulator per test class instance (started on first use) and stores opened against it; with a
/// <see cref="TestPki"/> the emulator serves HTTPS only, requires client certificates, and stores are configured
/// through CONSUL_CACERT / CONSUL_CLIENT_CERT / CONSUL_CLIENT_KEY.
/// </summary>
internal sealed class ConsulEmulatorHarness(TestPki? pki = null) : IAsyncDisposable
{
    private ConsulEmulator? _emulator;

    public ConsulEmulator Emulator => _emulator ?? throw new InvalidOperationException("no store was opened yet");

    public async Task<IKvStore> OpenStoreAsync()
    {
        if (pki is null)
        {
            _emulator ??= await ConsulTestServer.StartEmulatorAsync();
            return await ConsulTestServer.OpenAsync(_emulator.Address);
        }
        _emulator ??= await ConsulTestServer.StartTlsEmulatorAsync(pki);
        return await ConsulKvStore.ConnectAsync(ConsulTestServer.TlsOptions(_emulator, pki), null, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
            await _emulator.DisposeAsync();
    }
}
