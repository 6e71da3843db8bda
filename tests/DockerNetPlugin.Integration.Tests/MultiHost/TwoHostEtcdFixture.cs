using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.MultiHost;

/// <summary>Two simulated Docker hosts on one underlay, each with the real plugin, sharing a real etcd.</summary>
public sealed class TwoHostEtcdFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 2, StartEtcd = true, StartPlugin = true, StartInternet = false });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
