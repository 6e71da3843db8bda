using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Cli;

/// <summary>
/// Two hosts with the real plugin and a shared etcd, one logical network "cli" created on each host by hand
/// (<c>-o dnp.network=cli</c>) and a container on each that already pinged the other, so peers are programmed.
/// </summary>
public sealed class CliBedFixture : IAsyncLifetime
{
    public const string Network = "cli";

    public Testbed.Testbed Bed { get; private set; } = null!;

    public SimHost H1 => Bed.Hosts[0];

    public SimHost H2 => Bed.Hosts[1];

    /// <summary>The containers' overlay addresses (without prefix length).</summary>
    public string Ip1 { get; private set; } = "";

    public string Ip2 { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 2, StartEtcd = true, StartPlugin = true, StartInternet = false });
        string[] options = ["--subnet", "10.50.0.0/24", "-o", "dnp.network=" + Network, "--ipam-opt", "dnp.network=" + Network];
        var h1 = new HostScenario(H1);
        var h2 = new HostScenario(H2);
        await h1.CreateNetworkAsync(Network, options);
        await h2.CreateNetworkAsync(Network, options);
        await h1.RunAsync("cli-1", Network);
        await h2.RunAsync("cli-2", Network);
        Ip1 = await h1.IpOfAsync("cli-1", Network);
        Ip2 = await h2.IpOfAsync("cli-2", Network);
        var ping = await h1.PingAsync("cli-1", Ip2);
        for (var i = 0; i < 5 && !ping.Succeeded; i++)
            ping = await h1.PingAsync("cli-1", Ip2);
        ping.EnsureSuccess();
    }

    /// <summary>Runs <c>bin/dnp ARGS</c> inside a host the way an operator would there (its DOCKER_HOST set).</summary>
    public static Task<CommandResult> DnpAsync(SimHost host, params string[] args) =>
        host.ExecAsync(["env", "DOCKER_HOST=" + host.DockerHost, PluginBinary.Path, .. args]);

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
