using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DockerNetPlugin.Fuzzer;
using DockerNetPlugin.Protocol;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// The <c>Type=notify</c> unit's contract, with a fake systemd: a datagram socket named by NOTIFY_SOCKET. The real
/// <c>bin/dnp serve</c> runs in a throwaway network namespace of its own (embedded store, advertise 127.0.0.1), as
/// systemd would start it. READY=1 must come only once the plugin answers Docker's handshake and its driver and IPAM
/// serve calls; a plugin whose store never answers binds its socket but never says READY=1; SIGTERM says STOPPING=1.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("dnpt-notify-").FullName;
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly StringBuilder _log = new();
    private Process? _plugin;

    public SystemdNotifyTests()
    {
        _systemd.Bind(new UnixDomainSocketEndPoint(NotifySocket));
    }

    private string NotifySocket => Path.Combine(_dir, "notify");

    private string PluginSocket => Path.Combine(_dir, "dnp.sock");

    [Fact]
    public async Task NotifySocket_ReadyAfterActivateAndDriverAnswer_StoppingOnSigterm()
    {
        StartPlugin("file://" + Path.Combine(_dir, "store"));
        using var client = new PluginClient(PluginSocket, TimeSpan.FromSeconds(30));

        var first = await ReceiveAsync();
        // The moment systemd hears READY=1, Docker's handshake and calls that need the driver and IPAM are served.
        var activate = await client.PostAsync("/Plugin.Activate", [], CancellationToken.None);
        var status = await client.SendAsync(HttpMethod.Get, "/dnp/v1/status", [], CancellationToken.None);
        var pool = await RequestPoolAsync(client);

        Assert.StartsWith("READY=1\n", first, StringComparison.Ordinal);
        Assert.Equal(200, activate.Status);
        Assert.Contains("\"NetworkDriver\"", Encoding.UTF8.GetString(activate.Body), StringComparison.Ordinal);
        Assert.Contains("\"IpamDriver\"", Encoding.UTF8.GetString(activate.Body), StringComparison.Ordinal);
        Assert.True(status.Status == 200, $"the driver answers its status at READY=1: {status.Status} {Encoding.UTF8.GetString(status.Body)}");
        Assert.True(pool.Status == 200 && Encoding.UTF8.GetString(pool.Body).Contains("\"Pool\":\"10.99.0.0/24\"", StringComparison.Ordinal),
            $"IPAM serves RequestPool at READY=1: {pool.Status} {Encoding.UTF8.GetString(pool.Body)}");

        var exitCode = await StopPluginAsync();
        var last = await ReceiveAsync();
        Assert.StartsWith("STOPPING=1\n", last, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"dnp serve exits 0 on SIGTERM, not {exitCode}:\n{_log}");
    }

    [Fact]
    public async Task NotifySocket_StoreNeverAnswers_SocketServesHandshakeButNoReady()
    {
        // Port 9 on the namespace's own loopback: nothing listens, the driver cannot start.
        StartPlugin("etcd://127.0.0.1:9", ("DNP_CALL_TIMEOUT", "2"));
        using var client = new PluginClient(PluginSocket, TimeSpan.FromSeconds(30));

        var activate = await ActivateWhenBoundAsync(client);
        var pool = await RequestPoolAsync(client);
        var heardBeforeStop = _systemd.Available;
        var exitCode = await StopPluginAsync();
        var last = await ReceiveAsync();

        Assert.Equal(200, activate.Status);
        Assert.Contains("still starting", Encoding.UTF8.GetString(pool.Body), StringComparison.Ordinal);
        Assert.True(heardBeforeStop == 0, "nothing may be sent to systemd while the driver is not running");
        Assert.StartsWith("STOPPING=1\n", last, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"dnp serve exits 0 on SIGTERM, not {exitCode}:\n{_log}");
    }

    /// <summary><c>bin/dnp serve</c> in a new network namespace with only loopback up (nothing it does reaches this machine's network).</summary>
    private void StartPlugin(string store, params (string Name, string Value)[] extra)
    {
        var psi = new ProcessStartInfo("unshare", ["--net", "--", "sh", "-c", "ip link set lo up && exec \"$0\" serve", PluginBinary.Path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        psi.Environment["NOTIFY_SOCKET"] = NotifySocket;
        psi.Environment["DNP_SOCKET"] = PluginSocket;
        psi.Environment["DNP_STATE_DIR"] = Path.Combine(_dir, "state");
        psi.Environment["DNP_NETNS_DIR"] = Path.Combine(_dir, "netns");
        psi.Environment["DNP_STORE"] = store;
        psi.Environment["DNP_ADVERTISE_ADDR"] = "127.0.0.1";
        psi.Environment["DNP_REPLICATE"] = "false";
        psi.Environment["DNP_DOCKER_HOST"] = "unix://" + Path.Combine(_dir, "no-docker.sock");
        foreach (var (name, value) in extra)
            psi.Environment[name] = value;
        _plugin = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + PluginBinary.Path);
        _plugin.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _plugin.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _plugin.BeginErrorReadLine();
        _plugin.BeginOutputReadLine();
    }

    /// <summary>What Docker does first for a network: the default address spaces, then a pool in the global one.</summary>
    private static async Task<PluginReply> RequestPoolAsync(PluginClient client)
    {
        var spaces = await client.PostAsync("/IpamDriver.GetDefaultAddressSpaces", [], CancellationToken.None);
        using var doc = JsonDocument.Parse(spaces.Body);
        var global = doc.RootElement.GetProperty("GlobalDefaultAddressSpace").GetString();
        var request = JsonSerializer.SerializeToUtf8Bytes(new RequestPoolRequest(global, "10.99.0.0/24", null, null, V6: false), PluginJsonContext.Default.RequestPoolRequest);
        return await client.PostAsync("/IpamDriver.RequestPool", request, CancellationToken.None);
    }

    private async Task<PluginReply> ActivateWhenBoundAsync(PluginClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var reply = await client.PostAsync("/Plugin.Activate", [], CancellationToken.None);
            if (reply.Status == 200 || clock.Elapsed > s_bound)
                return reply;
            Assert.False(_plugin!.HasExited, "dnp serve exited:\n" + _log);
            await Task.Delay(50);
        }
    }

    private async Task<string> ReceiveAsync()
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(s_bound);
        try
        {
            var n = await _systemd.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no notification within {s_bound.TotalSeconds} s; plugin log:\n{_log}");
        }
    }

    private async Task<int> StopPluginAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _plugin!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(s_bound);
        await _plugin.WaitForExitAsync(timeout.Token);
        return _plugin.ExitCode;
    }

    public void Dispose()
    {
        if (_plugin is { HasExited: false })
        {
            _plugin.Kill();
            _plugin.WaitForExit();
        }
        _plugin?.Dispose();
        _systemd.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
