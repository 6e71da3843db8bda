using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Two simulated hosts with the plugin and a real etcd, for outage and restart scenarios. Reconciliation runs only at
/// start (DNP_RECONCILE_INTERVAL=0), so what `dnp doctor` reports is not repaired behind the test's back.
/// </summary>
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
            PluginEnvironment = new Dictionary<string, string> { ["DNP_RECONCILE_INTERVAL"] = "0" },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
