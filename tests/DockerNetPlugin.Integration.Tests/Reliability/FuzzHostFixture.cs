using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>One simulated Docker host running the real <c>bin/dnp serve</c> with the embedded store, for the fuzzer.</summary>
public sealed class FuzzHostFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public SimHost Host => Bed.Hosts[0];

    /// <summary>The plugin's embedded cluster store and its local state store (both per host in the bed).</summary>
    public IReadOnlyList<string> StoreDirectories =>
        [new Uri(Host.StoreUri).LocalPath, Path.Combine(Host.StateDir, "local")];

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 1,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string> { ["DNP_LOG_LEVEL"] = "Warning" },
        });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
