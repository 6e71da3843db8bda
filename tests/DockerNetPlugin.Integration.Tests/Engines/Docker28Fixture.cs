using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Engines;

/// <summary>
/// Two simulated hosts on Docker 28 (sid's docker.io, whatever DNP_TEST_ENGINE says: these tests are about what 28
/// does), each with the real plugin in its default mode (networks replicated), sharing a real etcd.
/// </summary>
public sealed class Docker28Fixture : IAsyncLifetime
{
    public const string EngineName = "28";

    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            Engine = DockerEngine.Get(EngineName),
            HostCount = 2,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string> { ["DNP_REPLICATE"] = "true" },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
