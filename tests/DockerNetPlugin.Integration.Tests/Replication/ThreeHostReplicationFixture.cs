using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Replication;

/// <summary>
/// Three simulated Docker hosts on one underlay, each with the real plugin in its default mode (networks
/// replicated through each host's Engine API), sharing a real etcd; a short lease so a dead host goes quickly.
/// </summary>
public sealed class ThreeHostReplicationFixture : IAsyncLifetime
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);

    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 3,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string>
            {
                ["DNP_REPLICATE"] = "true",
                ["DNP_LEASE_TTL"] = ((int)LeaseTtl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
