using System.Collections;
using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Emulators.Consul;
using DockerNetPlugin.Store.Tests.Tls;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>Starts emulators with short TTLs and opens stores with fast timings, so the Consul tests stay quick.</summary>
internal static class ConsulTestServer
{
    public static async Task<ConsulEmulator> StartEmulatorAsync(EmulatorTls? tls = null)
    {
        var emulator = await ConsulEmulator.StartAsync(tls);
        emulator.MinSessionTtl = TimeSpan.FromMilliseconds(200);
        return emulator;
    }

    /// <summary>An HTTPS-only emulator with <paramref name="pki"/>'s server certificate that requires a client certificate signed by its CA.</summary>
    public static Task<ConsulEmulator> StartTlsEmulatorAsync(TestPki pki) =>
        StartEmulatorAsync(new EmulatorTls(pki.LoadServerCertificate(), pki.IsSignedByCa));

    /// <summary>Fast retry, watch and session timings against <paramref name="address"/>, with the TLS settings of <paramref name="tls"/> if given.</summary>
    public static ConsulOptions FastOptions(Uri address, string? token = null, ConsulOptions? tls = null) => new()
    {
        Address = address,
        Token = token,
        CaCertFile = tls?.CaCertFile,
        ClientCertFile = tls?.ClientCertFile,
        ClientKeyFile = tls?.ClientKeyFile,
        RequestTimeout = TimeSpan.FromSeconds(3),
        RetryBudget = TimeSpan.FromSeconds(4),
        RetryInitialDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(300),
        WatchWait = TimeSpan.FromSeconds(5),
        WatchBurst = 2,
        WatchRefillInterval = TimeSpan.FromMilliseconds(100),
        WatchErrorInitialDelay = TimeSpan.FromMilliseconds(50),
        WatchErrorMaxDelay = TimeSpan.FromMilliseconds(500),
        MinSessionTtl = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>
    /// Options for a TLS emulator as the product builds them: <c>consul://127.0.0.1:PORT</c> plus CONSUL_CACERT
    /// (<paramref name="caFile"/>, default the PKI's CA) and, unless <paramref name="withClientCertificate"/> is false,
    /// CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY; then the fast timings.
    /// </summary>
    public static ConsulOptions TlsOptions(ConsulEmulator emulator, TestPki pki, bool withClientCertificate = true, string? caFile = null, string? token = null)
    {
        var environment = new Hashtable { ["CONSUL_CACERT"] = caFile ?? pki.CaFile };
        if (withClientCertificate)
        {
            environment["CONSUL_CLIENT_CERT"] = pki.ClientCertFile;
            environment["CONSUL_CLIENT_KEY"] = pki.ClientKeyFile;
        }
        var parsed = ConsulOptions.FromUriAndEnvironment(new Uri($"consul://127.0.0.1:{emulator.Address.Port}"), environment);
        return FastOptions(parsed.Address, token, parsed);
    }

    public static Task<IKvStore> OpenAsync(Uri address, string? token = null) =>
        ConsulKvStore.ConnectAsync(FastOptions(address, token), null, CancellationToken.None);

    /// <summary>A loopback address where nothing listens.</summary>
    public static Uri UnusedAddress()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Test hook of the Consul lease: stop renewing as if the owner hung.</summary>
    public static Task StopRenewalsAsync(ILease lease) => ((ConsulLease)lease).StopRenewalsAsync();
}
