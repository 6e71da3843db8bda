using System.Collections;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Emulators.Consul;
using DockerNetPlugin.Store.Tests.Tls;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>
/// The Consul backend against the emulator served over HTTPS with client certificates required (Consul's
/// <c>verify_incoming</c>): the failures an operator can make with CONSUL_CACERT / CONSUL_CLIENT_CERT /
/// CONSUL_CLIENT_KEY are clear errors naming the address or the setting and file, never the token.
/// </summary>
public sealed class ConsulTlsTests(TestPki pki) : IClassFixture<TestPki>, IAsyncLifetime
{
    private const string Secret = "c0ffee-tls-token-7d2a";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private ConsulEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await ConsulTestServer.StartTlsEmulatorAsync(pki);
        _emulator.RequiredToken = Secret;
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task PutAsync_CaAndClientCertificateFromEnvironment_WorksOverHttps()
    {
        var options = ConsulTestServer.TlsOptions(_emulator, pki, token: Secret);
        await using var store = await ConsulKvStore.ConnectAsync(options, null, Ct);

        await store.PutAsync("tls/k", "v"u8.ToArray(), null, Ct);

        Assert.Equal("https", options.Address.Scheme);
        Assert.Equal("v"u8.ToArray(), (await store.GetAsync("tls/k", Ct))!.Value.ToArray());
    }

    [Fact]
    public async Task GetAsync_ServerCertificateFromAnotherCa_ThrowsTlsErrorNamingAddressAndCaFileButNotToken()
    {
        var logs = new RecordingLoggerFactory();
        await using var store = await ConsulKvStore.ConnectAsync(ConsulTestServer.TlsOptions(_emulator, pki, caFile: pki.OtherCaFile, token: Secret), logs, Ct);

        var e = await Assert.ThrowsAsync<StoreTlsException>(() => store.GetAsync("tls/k", Ct));

        Assert.Contains($"https://127.0.0.1:{_emulator.Address.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("not signed by the CA in CONSUL_CACERT", e.Message, StringComparison.Ordinal);
        Assert.Contains(pki.OtherCaFile, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_NoClientCertificate_ThrowsTlsErrorSayingOneIsNeeded()
    {
        await using var store = await ConsulKvStore.ConnectAsync(ConsulTestServer.TlsOptions(_emulator, pki, withClientCertificate: false, token: Secret), null, Ct);

        var e = await Assert.ThrowsAsync<StoreTlsException>(() => store.GetAsync("tls/k", Ct));

        Assert.Contains($"https://127.0.0.1:{_emulator.Address.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("requires a client certificate", e.Message, StringComparison.Ordinal);
        Assert.Contains("CONSUL_CLIENT_CERT", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CONSUL_CACERT")]
    [InlineData("CONSUL_CLIENT_CERT")]
    [InlineData("CONSUL_CLIENT_KEY")]
    public async Task ConnectAsync_TlsFileMissing_ThrowsNamingVariableAndPath(string variable)
    {
        var missing = Path.Combine(pki.Directory, "missing.pem");
        var environment = new Hashtable
        {
            ["CONSUL_CACERT"] = pki.CaFile,
            ["CONSUL_CLIENT_CERT"] = pki.ClientCertFile,
            ["CONSUL_CLIENT_KEY"] = pki.ClientKeyFile,
            [variable] = missing,
        };
        var options = ConsulOptions.FromUriAndEnvironment(new Uri($"consul://127.0.0.1:{_emulator.Address.Port}"), environment);

        var e = await Assert.ThrowsAsync<StoreException>(() => ConsulKvStore.ConnectAsync(options, null, Ct));

        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
