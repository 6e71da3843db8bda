using System.Globalization;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Two simulated hosts with the plugin and a real etcd; the plugins reconcile every <paramref name="reconcileSeconds"/>
/// (0: only at start). The outage and hostile-store fixtures differ only in that.
/// </summary>
public abstract class TwoHostEtcdFixture(int reconcileSeconds) : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 2,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string> { ["DNP_RECONCILE_INTERVAL"] = reconcileSeconds.ToString(CultureInfo.InvariantCulture) },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
