using System.Diagnostics;
using System.Globalization;
using System.Net;
using DockerNetPlugin.Engine;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// One simulated Docker host: a network namespace on the fabric (<c>eth0</c> = <see cref="UnderlayIp"/>),
/// a private mount namespace (fresh sysfs, own <c>/run/docker</c> incl. <c>/run/docker/plugins</c>,
/// own <c>/run/containerd</c> and <c>/etc/docker</c>), its own dockerd (vfs, iptables on) and whatever
/// processes a test starts in it (e.g. the plugin).
/// </summary>
public sealed partial class SimHost : IAsyncDisposable
{
    // dockerd answers in seconds, but when several fixtures start theirs at once on a 2-core machine (xUnit runs test
    // classes in parallel) one took over 30 s.
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(120);

    private readonly Dictionary<string, ManagedProcess> _processes = new(StringComparer.Ordinal);
    private readonly Lock _processesLock = new();
    private readonly SimHostPaths _paths;
    private readonly string _logDirectory;
    private readonly string _dockerConfigDir;
    private readonly IReadOnlyList<string> _dockerdExtraArgs;
    private Process? _holder;
    private string? _engineVersion;

    internal SimHost(string name, int index, string netns, IPAddress underlayIp, string hostDirectory, string logDirectory, string dockerConfigDir, DockerEngine engine, IReadOnlyList<string> dockerdExtraArgs, string? storeUri)
    {
        Engine = engine;
        Name = name;
        Index = index;
        Netns = netns;
        UnderlayIp = underlayIp;
        _paths = new SimHostPaths(hostDirectory);
        _logDirectory = logDirectory;
        _dockerConfigDir = dockerConfigDir;
        _dockerdExtraArgs = dockerdExtraArgs;
        StoreUri = storeUri ?? "file://" + _paths.StoreDir;
    }

    /// <summary>The host's <c>/etc/resolv.conf</c> (bind-mounted inside it), or null to see the machine's.</summary>
    internal string? ResolvConf { get; init; }

    /// <summary>The host's daemon.json, or null for <c>{}</c>.</summary>
    internal string? DaemonJson { get; init; }

    /// <summary>The host's short name, e.g. <c>h1</c>.</summary>
    public string Name { get; }

    /// <summary>The Docker engine this host's dockerd and docker client come from.</summary>
    public DockerEngine Engine { get; }

    /// <summary>The version the running dockerd reports (<c>GET /version</c>, read at each start), e.g. <c>26.1.5+dfsg1</c>.</summary>
    public string EngineVersion => _engineVersion ?? throw new InvalidOperationException($"{Name}: dockerd has not started");

    /// <summary>1-based index of the host in the bed.</summary>
    public int Index { get; }

    /// <summary>The named network namespace (<c>/run/netns/&lt;Netns&gt;</c>).</summary>
    public string Netns { get; }

    /// <summary>The path of the network namespace file.</summary>
    public string NetnsPath => IpCommands.NetnsPath(Netns);

    /// <summary>The host's underlay address (on <see cref="UnderlayInterface"/>).</summary>
    public IPAddress UnderlayIp { get; }

    /// <summary>The underlay interface inside the host.</summary>
    public string UnderlayInterface => FabricNode.Interface;

    /// <summary>The dockerd API socket (a path valid from the test process and inside the host).</summary>
    public string DockerSocket => _paths.DockerSocket;

    /// <summary><c>unix://</c> + <see cref="DockerSocket"/>, for DOCKER_HOST / DNP_DOCKER_HOST.</summary>
    public string DockerHost => "unix://" + DockerSocket;

    /// <summary>Test-process path of this host's <c>/run/docker/plugins</c> (a socket created inside appears here).</summary>
    public string PluginSocketDir => _paths.Plugins;

    /// <summary>Test-process path of this host's <c>/etc/docker</c> (drop <c>plugins/NAME.spec</c> files here).</summary>
    public string EtcDockerDir => _paths.EtcDocker;

    /// <summary>The plugin's socket as the test process sees it (inside the host: <c>/run/docker/plugins/dnp.sock</c>).</summary>
    public string PluginSocketPath => Path.Combine(_paths.Plugins, PluginSocketName);

    /// <summary>A per-host directory for the plugin's namespace bind mounts (DNP_NETNS_DIR).</summary>
    public string NetnsDir => _paths.NetnsDir;

    /// <summary>A per-host directory for the plugin's local state (DNP_STATE_DIR).</summary>
    public string StateDir => _paths.StateDir;

    /// <summary>The store the plugin is given by default: the bed's Consul emulator or etcd, else a per-host file store.</summary>
    public string StoreUri { get; }

    /// <summary>The process ID holding the host's mount namespace (enter with <c>nsenter -t PID -m -n</c>).</summary>
    public int HolderPid => _holder?.Id ?? throw new InvalidOperationException($"{Name} is not started");

    /// <summary>Where this host's process logs go.</summary>
    public string LogDirectory => _logDirectory;

    /// <summary>The dockerd log file.</summary>
    public string DockerdLogPath => LogPath("dockerd");

    /// <summary>A new Engine API client for this host's dockerd (caller disposes).</summary>
    public DockerEngineClient CreateEngineClient(TimeSpan? requestTimeout = null) => new(DockerEndpoint.Parse(DockerHost), requestTimeout);

    /// <summary>Runs a command inside the host (its network and mount namespaces).</summary>
    public Task<CommandResult> ExecAsync(params string[] argv) => ExecAsync(argv, CancellationToken.None);

    /// <summary>Runs a command inside the host (its network and mount namespaces), killed after <paramref name="timeout"/>.</summary>
    public Task<CommandResult> ExecAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(argv);
        return CommandRunner.RunAsync([.. EnterArgv(), .. argv], cancellationToken, timeout);
    }

    /// <summary>Runs the engine's docker client (<c>docker -H unix://…</c>) against this host's dockerd.</summary>
    public Task<CommandResult> DockerAsync(params string[] args) => DockerAsync(args, CancellationToken.None);

    /// <summary>Runs the engine's docker client against this host's dockerd, killed after <paramref name="timeout"/>.</summary>
    public Task<CommandResult> DockerAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        return CommandRunner.RunAsync(
            [Engine.ClientPath, "-H", DockerHost, .. args],
            cancellationToken,
            timeout,
            environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = _dockerConfigDir });
    }

    /// <summary>
    /// Starts a long-running process inside the host; stdout and stderr go to <c>&lt;log dir&gt;/&lt;host&gt;-&lt;name&gt;.log</c>.
    /// Returns its process ID. A second process with the same name replaces a stopped one.
    /// </summary>
    public Task<int> StartProcessAsync(string name, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(argv);
        lock (_processesLock)
        {
            if (_processes.TryGetValue(name, out var existing))
            {
                if (!existing.HasExited)
                {
                    throw new InvalidOperationException($"{Name}: a process named '{name}' is already running (pid {existing.Pid}).");
                }

                existing.Dispose();
                _processes.Remove(name);
            }

            var process = CommandRunner.StartLogged(EnterArgv(), argv, LogPath(name), environment);
            _processes[name] = new ManagedProcess(name, process, LogPath(name));
            return Task.FromResult(process.Id);
        }
    }

    /// <summary>Stops a process started with <see cref="StartProcessAsync"/>: SIGTERM (10 s grace) or SIGKILL. Unknown names do nothing.</summary>
    public Task StopProcessAsync(string name, bool kill9 = false) => StopProcessAsync(name, kill9, TimeSpan.FromSeconds(10));

    private async Task StopProcessAsync(string name, bool kill9, TimeSpan grace)
    {
        ManagedProcess? process;
        lock (_processesLock)
        {
            _processes.TryGetValue(name, out process);
        }

        if (process is not null)
        {
            await process.StopAsync(kill9, grace).ConfigureAwait(false);
        }
    }

    /// <summary>True while the named process runs.</summary>
    public bool IsProcessRunning(string name)
    {
        lock (_processesLock)
        {
            return _processes.TryGetValue(name, out var p) && !p.HasExited;
        }
    }

    /// <summary>The log file of a process started under <paramref name="name"/>.</summary>
    public string LogPath(string name) => Path.Combine(_logDirectory, $"{Name}-{name}.log");

    /// <summary>Starts dockerd and waits until its API answers (exception with the log tail otherwise).</summary>
    public async Task StartDockerdAsync(CancellationToken cancellationToken = default)
    {
        string[] argv =
        [
            Engine.DockerdPath,
            "--config-file", _paths.DaemonConfig,
            "-H", DockerHost,
            "--data-root", _paths.DataRoot,
            "--exec-root", _paths.ExecRoot,
            "--pidfile", _paths.PidFile,
            "--storage-driver", "vfs",
            "--cgroup-parent", Netns,
            "--iptables=true",
            .. _dockerdExtraArgs,
        ];
        var pid = await StartProcessAsync("dockerd", argv, new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = Engine.DaemonPath }).ConfigureAwait(false);
        using var client = CreateEngineClient(TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsProcessRunning("dockerd"))
            {
                throw new TestbedException($"{Name}: dockerd (pid {pid}) exited during start.\n{LogTail.Read(DockerdLogPath)}");
            }

            if (File.Exists(DockerSocket))
            {
                try
                {
                    await client.PingAsync(cancellationToken).ConfigureAwait(false);
                    _engineVersion = await ReadEngineVersionAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (DockerEngineException)
                {
                    // Not ready yet.
                }
            }

            if (deadline.Elapsed > s_readyTimeout)
            {
                throw new TestbedException($"{Name}: dockerd did not answer /_ping within {s_readyTimeout.TotalSeconds} s.\n{LogTail.Read(DockerdLogPath)}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReadEngineVersionAsync(CancellationToken cancellationToken)
    {
        var version = (await DockerAsync(["version", "--format", "{{.Server.Version}}"], cancellationToken, TimeSpan.FromSeconds(30)).ConfigureAwait(false)).EnsureSuccess().StdOut.Trim();
        return version.Length > 0 ? version : throw new TestbedException($"{Name}: dockerd answered /version without a version");
    }

    /// <summary>
    /// Stops dockerd (SIGTERM with 30 s grace: it stops containers for up to 10 s each, or SIGKILL), then the
    /// containerd it started, so a new dockerd does not find a half-stopped one (containers keep their shims).
    /// </summary>
    public async Task StopDockerdAsync(bool kill9 = false)
    {
        await StopProcessAsync("dockerd", kill9, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var pidFile = Path.Combine(_paths.ExecRoot, "containerd", "containerd.pid");
        if (!File.Exists(pidFile) || !int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), out var containerd))
            return;
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{containerd}"); i++)
        {
            if (i == 50 || kill9)
                Libc.Signal(containerd, Libc.SIGKILL);
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>Stops dockerd gracefully and starts it again; waits until it answers.</summary>
    public async Task RestartDockerdAsync(CancellationToken cancellationToken = default)
    {
        await StopDockerdAsync().ConfigureAwait(false);
        await StartDockerdAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every container, stops every process and dockerd, and ends the holder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_holder is null)
        {
            return;
        }

        if (IsProcessRunning("dockerd"))
        {
            var ps = await DockerAsync(["ps", "-aq"], CancellationToken.None, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            var ids = ps.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > 0)
            {
                await DockerAsync(["rm", "-f", .. ids], CancellationToken.None, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            }
        }

        List<ManagedProcess> all;
        lock (_processesLock)
        {
            all = [.. _processes.Values];
        }

        // Everything but dockerd first (the plugin may still talk to it), then dockerd.
        await Task.WhenAll(all.Where(p => p.Name != "dockerd").Select(p => p.StopAsync(false, TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        await Task.WhenAll(all.Where(p => p.Name == "dockerd").Select(p => p.StopAsync(false, TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        foreach (var p in all)
        {
            p.Dispose();
        }

        CommandRunner.TryKill(_holder);
        await _holder.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        _holder.Dispose();
        _holder = null;
    }

    /// <summary>Creates the private mount namespace and its holder process, then dockerd.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        _paths.Create(DaemonJson, ResolvConf);
        await StartHolderAsync(cancellationToken).ConfigureAwait(false);
        await StartDockerdAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task StartHolderAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory("/run/docker/plugins");
        Directory.CreateDirectory("/run/containerd");
        const string Script = """
            set -e
            cg="$1/cgroup-save"
            mkdir -p "$cg"
            mount --rbind /sys/fs/cgroup "$cg"
            mount -t sysfs sysfs /sys
            mount --rbind "$cg" /sys/fs/cgroup
            umount -l "$cg"
            rmdir "$cg"
            mount --bind "$1/run-docker" /run/docker
            mount --bind "$1/run-containerd" /run/containerd
            if [ -d /etc/docker ]; then mount --bind "$1/etc-docker" /etc/docker; fi
            if [ -f "$1/resolv.conf" ]; then mount --bind "$1/resolv.conf" /etc/resolv.conf; fi
            umount -l /run/netns 2>/dev/null || true
            echo ready
            exec sleep infinity
            """;
        var psi = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--net=" + NetnsPath, "unshare", "-m", "--propagation", "private", "/bin/sh", "-c", Script, "holder", _paths.Root })
        {
            psi.ArgumentList.Add(arg);
        }

        _holder = Process.Start(psi) ?? throw new TestbedException($"{Name}: cannot start the namespace holder");
        var stderr = _holder.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(15));
        string? line;
        try
        {
            line = await _holder.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            line = null;
        }

        if (line != "ready")
        {
            CommandRunner.TryKill(_holder);
            throw new TestbedException($"{Name}: setting up the mount namespace failed: {await stderr.ConfigureAwait(false)}");
        }
    }

    private string[] EnterArgv() => ["nsenter", "-t", HolderPid.ToString(CultureInfo.InvariantCulture), "-m", "-n", "--"];
}
