namespace DockerNetPlugin.Testbed;

/// <summary>What <see cref="Testbed.StartAsync"/> builds.</summary>
public sealed record TestbedOptions
{
    /// <summary>How many simulated Docker hosts (h1..hN, 1 to 40).</summary>
    public int HostCount { get; init; } = 2;

    /// <summary>Start a real etcd on the fabric (hosts' default DNP_STORE becomes it).</summary>
    public bool StartEtcd { get; init; }

    /// <summary>With <see cref="StartEtcd"/>: 1 = a single etcd (<see cref="Testbed.Etcd"/>); 3 or 5 = a cluster (<see cref="Testbed.EtcdCluster"/>, DNP_STORE names every member).</summary>
    public int EtcdMembers { get; init; } = 1;

    /// <summary>Serve the Consul emulator on the fabric (hosts' default DNP_STORE becomes it, also over etcd).</summary>
    public bool StartConsul { get; init; }

    /// <summary>Start the "internet" namespace with its HTTP responder.</summary>
    public bool StartInternet { get; init; } = true;

    /// <summary>Start <c>dnp serve</c> in every host (see <see cref="PluginBinaryPath"/>).</summary>
    public bool StartPlugin { get; init; }

    /// <summary>The plugin binary; null means <c>bin/dnp</c> of the repository this code runs from (or DNP_TEST_BINARY).</summary>
    public string? PluginBinaryPath { get; init; }

    /// <summary>Extra environment for every host's plugin (overrides the defaults, e.g. DNP_LOG_LEVEL).</summary>
    public IReadOnlyDictionary<string, string>? PluginEnvironment { get; init; }

    /// <summary>Import the busybox image into every host.</summary>
    public bool ImportImage { get; init; } = true;

    /// <summary>Names of everything this run creates start with it; null means <c>dnpt</c> + 5 random hex digits.</summary>
    public string? RunPrefix { get; init; }

    /// <summary>Third octet of the underlay 192.168.X.0/24; null derives it from the prefix (100..199). Each bed has its own fabric namespace, so equal subnets of concurrent beds never meet.</summary>
    public int? UnderlayThirdOctet { get; init; }

    /// <summary>Where process logs go (kept after dispose); null means inside the run directory (deleted on dispose).</summary>
    public string? LogDirectory { get; init; }

    /// <summary>The Docker engine every host runs; null means the one <c>DNP_TEST_ENGINE</c> names (unset: the installed 20.10).</summary>
    public DockerEngine? Engine { get; init; }

    /// <summary>
    /// Names (→ IPv4) the "internet" namespace answers with a real DNS server (dnsmasq; every other name is NXDOMAIN); when set, every host's <c>/etc/resolv.conf</c> names that server, as a host's names its site's
    /// resolver. Needs <see cref="StartInternet"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? InternetDnsNames { get; init; }

    /// <summary>Every host's daemon.json (the documented setup of a feature, e.g. <c>{"dns": [...]}</c>); null: <c>{}</c>.</summary>
    public string? DaemonJson { get; init; }

    /// <summary>Extra dockerd flags for every host.</summary>
    public IReadOnlyList<string> DockerdArguments { get; init; } = [];
}
