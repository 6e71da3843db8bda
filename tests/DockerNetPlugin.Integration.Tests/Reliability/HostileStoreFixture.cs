using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Two simulated hosts with the plugin and a real etcd for the hostile-store fuzzer. Reconciliation every
/// <see cref="ReconcileInterval"/> (the default is 30 s), so what only a reconciliation restores (memberships, and
/// whatever a watch missed) comes back within one test.
/// </summary>
public sealed class HostileStoreFixture : IAsyncLifetime
{
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(10);

    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 2,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string>
            {
                ["DNP_RECONCILE_INTERVAL"] = ((int)ReconcileInterval.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
