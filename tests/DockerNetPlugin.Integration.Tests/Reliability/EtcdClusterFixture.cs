using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Three simulated hosts with the plugin, given all three members of a real etcd cluster (DNP_STORE
/// <c>etcd://A:2379,B:2379,C:2379</c>, the default lease TTL of 10 s), for leader loss, a member cut off, and a lost quorum.
/// </summary>
public sealed class EtcdClusterFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public EtcdCluster Cluster => Bed.EtcdCluster!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 3,
            StartEtcd = true,
            EtcdMembers = 3,
            StartPlugin = true,
            StartInternet = false,
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
