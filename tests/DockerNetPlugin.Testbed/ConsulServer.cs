using System.Net;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// The Consul emulator (tests/DockerNetPlugin.ConsulEmulator, which follows Consul's documented HTTP API: KV, txn,
/// TTL sessions with Consul's 10 s minimum, blocking queries) served as a process in its own namespace on the fabric,
/// reachable from every simulated host at <see cref="StoreUri"/>. No Consul server package exists for our machines.
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> simulate an outage; the emulator keeps its data in memory, so a
/// restart comes back empty.
/// </summary>
public sealed class ConsulServer : IAsyncDisposable
{
    /// <summary>Consul's HTTP port.</summary>
    public const int HttpPort = 8500;

    private const string EmulatorAssembly = "DockerNetPlugin.ConsulEmulator.dll";
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private readonly NamespaceService _service;

    internal ConsulServer(string netns, IPAddress address, string logPath)
    {
        Netns = netns;
        Address = address;
        _service = new NamespaceService("consul", netns, logPath);
    }

    /// <summary>The emulator namespace's name.</summary>
    public string Netns { get; }

    /// <summary>The underlay address the emulator listens on.</summary>
    public IPAddress Address { get; }

    /// <summary><c>http://&lt;Address&gt;:8500</c>, reachable from the simulated hosts (not from the test process's namespace).</summary>
    public string HttpUrl => $"http://{Address}:{HttpPort}";

    /// <summary><c>consul://&lt;Address&gt;:8500</c>, the DNP_STORE value.</summary>
    public string StoreUri => $"consul://{Address}:{HttpPort}";

    /// <summary>The emulator's log file.</summary>
    public string LogPath => _service.LogPath;

    /// <summary>True while the emulator process runs.</summary>
    public bool IsRunning => _service.IsRunning;

    /// <summary>Starts the emulator and waits until <c>/v1/status/leader</c> answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, EmulatorAssembly);
        if (!File.Exists(assembly))
        {
            throw new TestbedException($"{assembly} is missing: the test project must reference tests/DockerNetPlugin.ConsulEmulator (the Testbed does).");
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        _service.Start([dotnet, assembly, "--listen", $"{Address}:{HttpPort}"]);
        await Poll.UntilAsync(
            async () =>
            {
                if (!_service.IsRunning)
                {
                    throw new TestbedException($"the Consul emulator exited during start.\n{LogTail.Read(LogPath)}");
                }

                var leader = await GetAsync("/v1/status/leader", cancellationToken).ConfigureAwait(false);
                return leader.Succeeded && leader.StdOut.Contains(':', StringComparison.Ordinal);
            },
            s_readyTimeout,
            () => $"the Consul emulator did not answer /v1/status/leader within {s_readyTimeout.TotalSeconds} s.\n{LogTail.Read(LogPath)}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the emulator: SIGTERM, or SIGKILL when <paramref name="kill9"/>.</summary>
    public Task StopAsync(bool kill9 = false) => _service.StopAsync(kill9);

    /// <summary>Keys under <paramref name="prefix"/> (<c>GET /v1/kv/PREFIX?keys</c>), e.g. <c>dnp/v1/networks/</c>; empty when none.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string prefix)
    {
        var result = await GetAsync($"/v1/kv/{prefix}?keys", CancellationToken.None).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            // busybox wget fails on Consul's 404 for "no such keys".
            return result.StdErr.Contains("404", StringComparison.Ordinal) ? [] : throw new TestbedException($"consul keys {prefix}: {result}");
        }

        return System.Text.Json.JsonSerializer.Deserialize(result.StdOut, TestbedJsonContext.Default.StringArray) ?? [];
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private Task<CommandResult> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        _service.ExecAsync([BusyboxImage.BusyboxPath, "wget", "-qO-", HttpUrl + pathAndQuery], cancellationToken, TimeSpan.FromSeconds(5));
}
