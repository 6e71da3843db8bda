using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace DockerNetPlugin.Testbed;

public sealed partial class SimHost
{
    /// <summary>The plugin's socket file name in <c>/run/docker/plugins</c> (v1 discovery finds driver <c>dnp</c>).</summary>
    public const string PluginSocketName = "dnp.sock";

    /// <summary>The process name <see cref="StartPluginAsync"/> uses (log: <c>&lt;host&gt;-plugin.log</c>).</summary>
    public const string PluginProcessName = "plugin";

    private static readonly TimeSpan s_pluginReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The environment <see cref="StartPluginAsync"/> gives <c>dnp serve</c> in this host: DNP_SOCKET (inside the
    /// host's private <c>/run/docker/plugins</c>), DNP_NETNS_DIR, DNP_STATE_DIR, DNP_DOCKER_HOST, DNP_ADVERTISE_ADDR,
    /// DNP_STORE (the bed's etcd, else a per-host file store), DNP_LOG_LEVEL=Debug and DNP_REPLICATE=false: tests create
    /// networks per host (<c>-o dnp.network=</c>) unless they opt in to replication with DNP_REPLICATE=true.
    /// DNP_NETNS_GRACE=0: tests see an overlay namespace go with its last container; the grace test and the attach
    /// benchmark set it themselves.
    /// </summary>
    public IReadOnlyDictionary<string, string> PluginEnvironment() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DNP_SOCKET"] = "/run/docker/plugins/" + PluginSocketName,
        ["DNP_NETNS_DIR"] = NetnsDir,
        ["DNP_STATE_DIR"] = StateDir,
        ["DNP_DOCKER_HOST"] = DockerHost,
        ["DNP_ADVERTISE_ADDR"] = UnderlayIp.ToString(),
        ["DNP_STORE"] = StoreUri,
        ["DNP_LOG_LEVEL"] = "Debug",
        ["DNP_REPLICATE"] = "false",
        ["DNP_NETNS_GRACE"] = "0",
    };

    /// <summary>
    /// Starts <c>&lt;dnpBinaryPath&gt; serve</c> inside the host with <see cref="PluginEnvironment"/> (overridden by
    /// <paramref name="extraEnv"/>) and waits until its socket accepts connections.
    /// </summary>
    /// <exception cref="TestbedException">The binary is missing, the process exited, or the socket did not answer in 30 s (with the log tail).</exception>
    public async Task StartPluginAsync(string dnpBinaryPath, IReadOnlyDictionary<string, string>? extraEnv = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dnpBinaryPath);
        if (!File.Exists(dnpBinaryPath))
        {
            throw new TestbedException($"{Name}: plugin binary {dnpBinaryPath} does not exist (run `make build`).");
        }

        var env = new Dictionary<string, string>(PluginEnvironment(), StringComparer.Ordinal);
        foreach (var (key, value) in extraEnv ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        await StartProcessAsync(PluginProcessName, [Path.GetFullPath(dnpBinaryPath), "serve"], env).ConfigureAwait(false);
        await WaitForSocketAsync(PluginProcessName, PluginSocketPath, s_pluginReadyTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the plugin started by <see cref="StartPluginAsync"/> (SIGTERM, or SIGKILL to simulate a crash).</summary>
    public Task StopPluginAsync(bool kill9 = false) => StopProcessAsync(PluginProcessName, kill9);

    /// <summary>Waits until <paramref name="socketPath"/> (test-process path) accepts a connection while process <paramref name="name"/> runs.</summary>
    public async Task WaitForSocketAsync(string name, string socketPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsProcessRunning(name))
            {
                throw new TestbedException($"{Name}: {name} exited before its socket {socketPath} answered.\n{LogTail.Read(LogPath(name))}");
            }

            if (File.Exists(socketPath) && await CanConnectAsync(socketPath, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TestbedException(string.Create(CultureInfo.InvariantCulture, $"{Name}: {name}'s socket {socketPath} did not accept connections within {timeout.TotalSeconds} s.\n{LogTail.Read(LogPath(name))}"));
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> CanConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
