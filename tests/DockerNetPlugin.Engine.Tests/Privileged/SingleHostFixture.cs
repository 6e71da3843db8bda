using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Engine.Tests.Privileged;

/// <summary>One simulated host with its own dockerd, shared by the Engine client tests.</summary>
public sealed class SingleHostFixture : IAsyncLifetime
{
    private Testbed.Testbed? _bed;

    public Testbed.Testbed Bed => _bed ?? throw new InvalidOperationException("not started");

    public SimHost Host => Bed.Hosts[0];

    public async Task InitializeAsync() =>
        _bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartInternet = false });

    public async Task DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}
