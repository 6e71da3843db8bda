using System.Collections;

namespace DockerNetPlugin.Cli;

/// <summary>
/// The one executable, <c>dnp</c>: <c>serve</c> runs the plugin; the other verbs inspect a running one (over its socket)
/// and the kernel. Exit codes: 0 fine, 1 a problem (plugin unreachable, unknown network, nothing found), 2 usage.
/// </summary>
internal static class CommandLine
{
    private const string Usage = """
        usage: dnp <command> [--json]
          serve              run the plugin (Docker network + IPAM driver) on DNP_SOCKET
          status             this host: store, advertise address, networks, endpoints, peers
          networks           logical networks cluster-wide: VNI, subnets, hosts, endpoints
          peers NET          a network's endpoints: host, IP, MAC, VTEP (NET: logical id or name, or a Docker network id)
          names [NET]        what the resolvers answer: name, aliases, addresses, host (NET: a network's Docker name or logical id)
          netns              overlay namespaces: state, interfaces, the VNI and port vxlan0 really has
          links IFINDEX      which namespace holds interface IFINDEX (host, overlay, Docker sandboxes) and its veth peer
          doctor [--repair]  drift between the kernel, the store and Docker; --repair fixes it (exit 1 while drift remains)
          forget-host HOST   release what a dead host still holds: addresses, pool holds, network memberships
        --json prints JSON for scripts. Settings come from DNP_* variables (see README); the CLI also reads
        DNP_SOCKET (else /run/docker/plugins/dnp.sock, else the managed plugin's socket), DNP_NETNS_DIR,
        DOCKER_NETNS_DIR (default /var/run/docker/netns) and DOCKER_HOST.
        """;

    private delegate Task<int> Verb(CliArguments args, PluginClient plugin, IDictionary environment, CancellationToken ct);

    /// <summary>The verbs that talk to a running plugin (and the kernel).</summary>
    private static readonly Dictionary<string, Verb> s_verbs = new(StringComparer.Ordinal)
    {
        ["status"] = (a, p, _, ct) => StatusCommand.RunAsync(a, p, ct),
        ["networks"] = (a, p, _, ct) => NetworksCommand.RunAsync(a, p, ct),
        ["peers"] = (a, p, _, ct) => PeersCommand.RunAsync(a, p, ct),
        ["names"] = (a, p, _, ct) => NamesCommand.RunAsync(a, p, ct),
        ["netns"] = NetnsCommand.RunAsync,
        ["links"] = LinksCommand.RunAsync,
        ["doctor"] = (a, p, _, ct) => DoctorCommand.RunAsync(a, p, ct),
        ["forget-host"] = (a, p, _, ct) => ForgetHostCommand.RunAsync(a, p, ct),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "help";
        var environment = Environment.GetEnvironmentVariables();
        try
        {
            if (command == "serve")
                return await ServeCommand.RunAsync(environment).ConfigureAwait(false);
            if (command is "help" or "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }
            if (!s_verbs.TryGetValue(command, out var verb))
                throw new CliException($"unknown command '{command}'\n{Usage}", 2);
            var parsed = CliArguments.Parse(args.Skip(1));
            using var plugin = PluginClient.FromEnvironment(environment);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            return await verb(parsed, plugin, environment, stop.Token).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"dnp {command}: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
    }
}
