using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>Two simulated hosts with the plugin and a real etcd, reconciling every 5 s, for outage and restart scenarios.</summary>
public sealed class TwoHostOutageFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 2,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string> { ["DNP_RECONCILE_INTERVAL"] = "5" },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
