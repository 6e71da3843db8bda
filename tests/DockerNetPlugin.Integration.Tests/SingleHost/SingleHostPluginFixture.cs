using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.SingleHost;

/// <summary>One simulated Docker host running the real <c>bin/dnp serve</c> with the embedded store, plus the "internet".</summary>
public sealed class SingleHostPluginFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public SimHost Host => Bed.Hosts[0];

    public async Task InitializeAsync()
    {
        Testbed.Testbed.CleanupStale();
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartPlugin = true, StartInternet = true });
    }

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
