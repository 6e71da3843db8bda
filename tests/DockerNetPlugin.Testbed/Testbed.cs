using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// A multi-host Docker lab on one machine: a fabric namespace with bridge <c>br0</c> (router address .1),
/// simulated hosts h1..hN (.11, .12, ...) each with its own dockerd, optionally etcd (.5, or a cluster at .5, .6, ...),
/// the Consul emulator (.9) and an "internet" (.250).
/// Everything is named with <see cref="Prefix"/> and removed by <see cref="DisposeAsync"/>;
/// <see cref="CleanupStale"/> removes what crashed runs left.
/// </summary>
public sealed partial class Testbed : IAsyncDisposable
{
    /// <summary>The installed Debian docker client (not /usr/local/bin/docker, a different, newer client); <see cref="SimHost.DockerAsync(string[])"/> uses the bed engine's own client.</summary>
    public const string DockerClientPath = "/usr/bin/docker";

    /// <summary>The imported busybox image (also tagged <c>busybox:latest</c>).</summary>
    public const string ImageName = "dnp-busybox:latest";

    /// <summary>Every run directory lives here: <c>/run/dnpt/&lt;prefix&gt;</c>.</summary>
    public const string RunsRoot = "/run/dnpt";

    /// <summary>All run prefixes start with this.</summary>
    public const string PrefixStem = "dnpt";

    private const int PrefixLength = 24;
    private const int ConsulHostPart = 9;
    private readonly List<SimHost> _hosts = [];
    private int _disposed;

    private Testbed(TestbedOptions options, string prefix, DockerEngine engine)
    {
        Options = options;
        Engine = engine;
        Prefix = prefix;
        RunDirectory = Path.Combine(RunsRoot, prefix);
        // DNP_TEST_LOGS keeps every bed's logs (dockerd, plugin, etcd) after the run, to read why a test failed.
        var keptLogs = options.LogDirectory ?? (Environment.GetEnvironmentVariable("DNP_TEST_LOGS") is { Length: > 0 } d ? d : null);
        LogDirectory = keptLogs is null ? Path.Combine(RunDirectory, "logs") : Path.Combine(keptLogs, prefix);
        var octet = options.UnderlayThirdOctet ?? (100 + (int)(BitConverter.ToUInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prefix))) % 100));
        UnderlayNetwork = new IPNetwork(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"192.168.{octet}.0")), PrefixLength);
    }

    /// <summary>The options this bed was built with.</summary>
    public TestbedOptions Options { get; }

    /// <summary>The Docker engine the hosts run (<see cref="TestbedOptions.Engine"/> or <c>DNP_TEST_ENGINE</c>).</summary>
    public DockerEngine Engine { get; }

    /// <summary>The engine's version as h1's daemon reports it (<c>GET /version</c>), e.g. <c>28.5.2+dfsg4</c>.</summary>
    public string EngineVersion => _hosts.Count > 0 ? _hosts[0].EngineVersion : throw new InvalidOperationException("the bed has no host");

    /// <summary>The run prefix, e.g. <c>dnpt3fa9c</c>.</summary>
    public string Prefix { get; }

    /// <summary>The run's directory (removed on dispose).</summary>
    public string RunDirectory { get; }

    /// <summary>Where process logs go.</summary>
    public string LogDirectory { get; }

    /// <summary>The underlay subnet, e.g. 192.168.137.0/24.</summary>
    public IPNetwork UnderlayNetwork { get; }

    /// <summary>The fabric's router address (.1), the hosts' default gateway.</summary>
    public IPAddress RouterAddress => Address(1);

    /// <summary>The fabric namespace's name (holds bridge <c>br0</c>).</summary>
    public string FabricNetns => Prefix + "-fab";

    /// <summary>The simulated hosts, h1 first.</summary>
    public IReadOnlyList<SimHost> Hosts => _hosts;

    /// <summary>The etcd server, when <see cref="TestbedOptions.StartEtcd"/> with one member.</summary>
    public EtcdServer? Etcd { get; private set; }

    /// <summary>The etcd cluster (members .5, .6, ...), when <see cref="TestbedOptions.StartEtcd"/> with <see cref="TestbedOptions.EtcdMembers"/> &gt; 1.</summary>
    public EtcdCluster? EtcdCluster { get; private set; }
    /// <summary>The Consul emulator, when <see cref="TestbedOptions.StartConsul"/>.</summary>
    public ConsulServer? Consul { get; private set; }

    /// <summary>The internet namespace, when <see cref="TestbedOptions.StartInternet"/>.</summary>
    public InternetHost? Internet { get; private set; }

    /// <summary>How long <see cref="StartAsync"/> took.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>The path of the image tar imported into the hosts.</summary>
    public string ImageTarPath => Path.Combine(RunDirectory, "busybox.tar");

    /// <summary>
    /// Builds the bed. On failure everything made so far is removed and a <see cref="TestbedException"/>
    /// (with the tail of the failing daemon's log) is thrown.
    /// </summary>
    public static async Task<Testbed> StartAsync(TestbedOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HostCount is < 1 or > 40)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"HostCount must be 1..40, not {options.HostCount}");
        }

        if (options.EtcdMembers is not (1 or 3 or 5))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"EtcdMembers must be 1, 3 or 5, not {options.EtcdMembers}");
        }

        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
        {
            throw new TestbedException("the test bed needs root (network and mount namespaces, dockerd)");
        }

        var engine = options.Engine ?? DockerEngine.FromEnvironment();

        await EnsureStaleCleanedOnceAsync().ConfigureAwait(false);
        var prefix = options.RunPrefix ?? PrefixStem + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5];
        if (!prefix.StartsWith(PrefixStem, StringComparison.Ordinal) || prefix.Length is < 5 or > 10 || !prefix.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)))
        {
            throw new ArgumentException($"RunPrefix '{prefix}' must be '{PrefixStem}' plus 1..6 lowercase letters or digits", nameof(options));
        }

        var bed = new Testbed(options, prefix, engine);
        var watch = Stopwatch.StartNew();
        try
        {
            await bed.BuildAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await bed.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        bed.StartDuration = watch.Elapsed;
        return bed;
    }

    /// <summary>Runs a command in the fabric namespace (where every host's underlay link meets on <c>br0</c>), e.g. a capture.</summary>
    public Task<CommandResult> InFabricAsync(IReadOnlyList<string> argv, TimeSpan? timeout = null) =>
        CommandRunner.RunAsync([.. IpCommands.InNetns(FabricNetns), .. argv], CancellationToken.None, timeout);

    /// <summary>The i-th address of the underlay subnet.</summary>
    public IPAddress Address(int hostPart)
    {
        var bytes = UnderlayNetwork.BaseAddress.GetAddressBytes();
        bytes[3] = checked((byte)hostPart);
        return new IPAddress(bytes);
    }

    /// <summary>Removes every container, process, mount, namespace, cgroup and file of this run. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var errors = new List<Exception>();
        var graceful = _hosts.Select(h => h.DisposeAsync().AsTask()).ToList();
        if (Etcd is not null)
        {
            graceful.Add(Etcd.DisposeAsync().AsTask());
        }

        if (EtcdCluster is not null)
        {
            graceful.Add(EtcdCluster.DisposeAsync().AsTask());
        }

        if (Consul is not null)
        {
            graceful.Add(Consul.DisposeAsync().AsTask());
        }

        if (Internet is not null)
        {
            graceful.Add(Internet.DisposeAsync().AsTask());
        }

        try
        {
            await Task.WhenAll(graceful).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TestbedException or InvalidOperationException or IOException)
        {
            errors.Add(ex);
        }

        // Whatever survived (or was never tracked) goes by name.
        await RemoveRunAsync(Prefix).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new AggregateException($"test bed {Prefix}: graceful stop failed (leftovers were removed anyway)", errors);
        }
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RunDirectory);
        RunOwner.Write(RunDirectory);
        Directory.CreateDirectory(LogDirectory);
        var dockerConfig = Path.Combine(RunDirectory, "docker-config");
        Directory.CreateDirectory(dockerConfig);
        if (File.Exists(DockerEngine.ComposePath))
        {
            // `docker compose` with the bed's client (CLI plugins are found in $DOCKER_CONFIG/cli-plugins).
            Directory.CreateDirectory(Path.Combine(dockerConfig, "cli-plugins"));
            File.CreateSymbolicLink(Path.Combine(dockerConfig, "cli-plugins", "docker-compose"), DockerEngine.ComposePath);
        }

        var nodes = new List<FabricNode>();
        for (var i = 1; i <= Options.HostCount; i++)
        {
            nodes.Add(new FabricNode("h" + i.ToString(CultureInfo.InvariantCulture), $"{Prefix}-h{i}", Address(10 + i)));
        }

        var etcdNodes = !Options.StartEtcd ? [] : Options.EtcdMembers == 1
            ? [new FabricNode("etcd", Prefix + "-etcd", Address(5))]
            : Enumerable.Range(1, Options.EtcdMembers).Select(i => new FabricNode($"etcd{i}", $"{Prefix}-etcd{i}", Address(4 + i))).ToList();
        nodes.AddRange(etcdNodes);

        if (Options.StartConsul)
        {
            nodes.Add(new FabricNode("consul", Prefix + "-consul", Address(ConsulHostPart)));
        }

        if (Options.StartInternet)
        {
            nodes.Add(new FabricNode("inet", Prefix + "-inet", Address(250)));
        }

        await BuildFabricAsync(nodes, cancellationToken).ConfigureAwait(false);

        var imageTask = Options.ImportImage ? BusyboxImage.BuildAsync(ImageTarPath, cancellationToken) : Task.CompletedTask;
        var work = new List<Task>();
        if (Options.StartEtcd && Options.EtcdMembers == 1)
        {
            Etcd = new EtcdServer(Prefix + "-etcd", Address(5), Path.Combine(RunDirectory, "etcd"), Path.Combine(LogDirectory, "etcd.log"));
            work.Add(Etcd.StartAsync(cancellationToken));
        }
        else if (Options.StartEtcd)
        {
            EtcdCluster = new EtcdCluster([.. etcdNodes.Select(n => (n.Netns, n.Address))], RunDirectory, LogDirectory, Prefix);
            work.Add(EtcdCluster.StartAsync(cancellationToken));
        }

        if (Options.StartConsul)
        {
            Consul = new ConsulServer(Prefix + "-consul", Address(ConsulHostPart), Path.Combine(LogDirectory, "consul.log"));
            work.Add(Consul.StartAsync(cancellationToken));
        }

        if (Options.StartInternet)
        {
            Internet = new InternetHost(Prefix + "-inet", Address(250), Path.Combine(RunDirectory, "www"), Path.Combine(LogDirectory, "internet.log"));
            work.Add(Internet.StartAsync(cancellationToken));
            if (Options.InternetDnsNames is { Count: > 0 } names)
                work.Add(Internet.StartDnsAsync(names, Path.Combine(LogDirectory, "internet-dns.log"), cancellationToken));
        }

        var resolvConf = Options.StartInternet && Options.InternetDnsNames is { Count: > 0 } ? $"nameserver {Address(250)}\n" : null;

        foreach (var node in nodes.Where(n => n.Role.StartsWith('h')))
        {
            var host = new SimHost(node.Role, _hosts.Count + 1, node.Netns, node.Address, Path.Combine(RunDirectory, node.Role), LogDirectory, dockerConfig, Engine, Options.DockerdArguments, Consul?.StoreUri ?? Etcd?.StoreUri ?? EtcdCluster?.StoreUri)
            {
                ResolvConf = resolvConf,
                DaemonJson = Options.DaemonJson,
            };
            _hosts.Add(host);
            work.Add(StartHostAsync(host, imageTask, cancellationToken));
        }

        await WhenAllOrFirstFailure(work).ConfigureAwait(false);
        if (Options.StartPlugin)
        {
            var binary = Options.PluginBinaryPath ?? DefaultPluginBinary();
            await WhenAllOrFirstFailure(_hosts.Select(h => h.StartPluginAsync(binary, Options.PluginEnvironment, cancellationToken))).ConfigureAwait(false);
        }
    }

    private async Task BuildFabricAsync(List<FabricNode> nodes, CancellationToken cancellationToken)
    {
        await IpCommands.BatchAsync(null, [$"netns add {FabricNetns}", .. nodes.Select(n => $"netns add {n.Netns}")], cancellationToken).ConfigureAwait(false);
        await IpCommands.BatchAsync(
            FabricNetns,
            [
                "link set lo up",
                "link add br0 type bridge",
                string.Create(CultureInfo.InvariantCulture, $"addr add {RouterAddress}/{PrefixLength} dev br0"),
                "link set br0 up",
                .. nodes.SelectMany(n => n.FabricCommands()),
            ],
            cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(nodes.Select(n => IpCommands.BatchAsync(n.Netns, n.NodeCommands(RouterAddress, PrefixLength), cancellationToken))).ConfigureAwait(false);
        await CommandRunner.RunCheckedAsync([.. IpCommands.InNetns(FabricNetns), "sysctl", "-qw", "net.ipv4.ip_forward=1"], cancellationToken).ConfigureAwait(false);
    }

    private async Task StartHostAsync(SimHost host, Task imageTask, CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        if (!Options.ImportImage)
        {
            return;
        }

        await imageTask.ConfigureAwait(false);
        (await host.DockerAsync(["import", "-c", "CMD [\"sh\"]", ImageTarPath, ImageName], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        (await host.DockerAsync(["tag", ImageName, "busybox:latest"], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
    }

    /// <summary>Awaits all tasks; if any fails, rethrows the first failure (the others are observed).</summary>
    private static async Task WhenAllOrFirstFailure(IEnumerable<Task> tasks)
    {
        var all = tasks.ToList();
        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch
        {
            var first = all.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException;
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            }

            throw;
        }
    }

    private static string DefaultPluginBinary()
    {
        if (Environment.GetEnvironmentVariable("DNP_TEST_BINARY") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockerNetPlugin.sln")))
            {
                return Path.Combine(dir.FullName, "bin", "dnp");
            }
        }

        throw new TestbedException("cannot find the repository (DockerNetPlugin.sln) above " + AppContext.BaseDirectory + "; set TestbedOptions.PluginBinaryPath or DNP_TEST_BINARY");
    }
}
