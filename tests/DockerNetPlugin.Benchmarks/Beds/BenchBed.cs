using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>
/// Simulated Docker hosts for a benchmark (DockerNetPlugin.Testbed: one real dockerd per network namespace, of the engine
/// DNP_TEST_ENGINE names (<c>make bench</c>: the newest), an underlay
/// bridge, optionally a real etcd every host's plugin uses), with <c>bin/dnp serve</c> started by the benchmark itself so it
/// knows the plugin's PID and log. Plugin settings: JSON logs at Information (one structured line per API call with its
/// duration, no debug chatter in the measured path) and manual-mode networks (<c>DNP_REPLICATE=false</c>, created per host
/// with <c>-o dnp.network=NAME</c>). Disposing removes every process, container, namespace and file.
/// </summary>
internal sealed class BenchBed : IAsyncDisposable
{
    /// <summary>The image every benchmark container runs (static busybox, imported into each host).</summary>
    public const string Image = Testbed.Testbed.ImageName;

    /// <summary>The driver name of the plugin started under the default socket <c>dnp.sock</c>.</summary>
    public const string DefaultDriver = "dnp";

    private readonly Testbed.Testbed _bed;

    private BenchBed(Testbed.Testbed bed) => _bed = bed;

    public IReadOnlyList<SimHost> Hosts => _bed.Hosts;

    /// <summary>The engine as the prose names it: <c>dockerd</c> + the version its daemon reports (<c>GET /version</c>), e.g. <c>dockerd 28.5.2+dfsg4</c>.</summary>
    public string Dockerd => "dockerd " + _bed.EngineVersion;

    public EtcdServer Etcd => _bed.Etcd ?? throw new InvalidOperationException("this bed was started without etcd");

    public static Task<BenchBed> StartAsync(int hosts, bool etcd, CancellationToken ct) => StartAsync(hosts, etcd, internetDns: null, ct);

    /// <summary>
    /// As <see cref="StartAsync(int, bool, CancellationToken)"/>, with the test bed's internet namespace running a DNS server
    /// that answers <paramref name="internetDns"/> (and NXDOMAIN for every other name) as every host's resolver.
    /// </summary>
    public static async Task<BenchBed> StartAsync(int hosts, bool etcd, IReadOnlyDictionary<string, string>? internetDns, CancellationToken ct)
    {
        Console.WriteLine($"  starting {hosts} simulated host(s){(etcd ? " and etcd" : string.Empty)}{(internetDns is null ? string.Empty : " and an internet DNS server")}");
        var bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = hosts,
            StartEtcd = etcd,
            StartInternet = internetDns is not null,
            InternetDnsNames = internetDns,
            StartPlugin = false,
        }, ct);
        Console.WriteLine($"  engine {bed.Engine.Name}: dockerd {bed.EngineVersion}");
        return new BenchBed(bed);
    }

    /// <summary>
    /// Starts <c>dnp serve</c> in <paramref name="host"/> under the socket <c>/run/docker/plugins/&lt;driver&gt;.sock</c> and waits
    /// until it logged "ready". A driver other than <see cref="DefaultDriver"/> is a second, independent instance (own state and
    /// namespace directories). <paramref name="settings"/> override the DNP_* environment (e.g. DNP_STORE); <paramref name="executable"/>
    /// replaces <c>bin/dnp</c> (e.g. the plugin rootfs's native build).
    /// </summary>
    public static async Task<PluginProcess> StartPluginAsync(SimHost host, string driver, IReadOnlyDictionary<string, string>? settings, CancellationToken ct, string? executable = null)
    {
        var env = new Dictionary<string, string>(host.PluginEnvironment(), StringComparer.Ordinal)
        {
            ["DNP_LOG_FORMAT"] = "json",
            ["DNP_LOG_LEVEL"] = "Information",
            ["DNP_REPLICATE"] = "false",
        };
        var process = SimHost.PluginProcessName;
        if (driver != DefaultDriver)
        {
            process += "-" + driver;
            var dir = Path.Combine(Path.GetDirectoryName(host.StateDir)!, driver);
            env["DNP_SOCKET"] = $"/run/docker/plugins/{driver}.sock";
            env["DNP_STATE_DIR"] = Directory.CreateDirectory(Path.Combine(dir, "state")).FullName;
            env["DNP_NETNS_DIR"] = Directory.CreateDirectory(Path.Combine(dir, "netns")).FullName;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var pid = await host.StartProcessAsync(process, [executable ?? RepositoryRoot.PluginBinary(), "serve"], env);
        await host.WaitForSocketAsync(process, Path.Combine(host.PluginSocketDir, driver + ".sock"), TimeSpan.FromSeconds(30), ct);
        var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
        if (exe is null || Path.GetFileName(exe) != "dnp")
        {
            throw new InvalidOperationException($"{host.Name}: PID {pid} is {exe ?? "gone"}, not the plugin; its memory could not be measured");
        }

        var plugin = new PluginProcess(host, driver, pid, host.LogPath(process), env["DNP_NETNS_DIR"]);
        await plugin.WaitReadyAsync(ct);
        return plugin;
    }

    public ValueTask DisposeAsync() => _bed.DisposeAsync();
}
