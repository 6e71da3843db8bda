using System.Net;
using System.Net.Sockets;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Store.Tests.Consul.Emulator;

namespace DockerNetPlugin.Store.Tests.Consul;

/// <summary>Starts emulators with short TTLs and opens stores with fast timings, so the Consul tests stay quick.</summary>
internal static class ConsulTestServer
{
    public static async Task<ConsulEmulator> StartEmulatorAsync()
    {
        var emulator = await ConsulEmulator.StartAsync();
        emulator.MinSessionTtl = TimeSpan.FromMilliseconds(200);
        return emulator;
    }

    /// <summary>Fast retry, watch and session timings against <paramref name="address"/>.</summary>
    public static ConsulOptions FastOptions(Uri address, string? token = null) => new()
    {
        Address = address,
        Token = token,
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
