using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Engine.Tests.Privileged;

/// <summary>Two simulated hosts, etcd and the internet: the bed the end-to-end suites use.</summary>
public sealed class TwoHostFixture : IAsyncLifetime
{
    private Testbed.Testbed? _bed;

    public Testbed.Testbed Bed => _bed ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 2, StartEtcd = true, StartInternet = true });

    public async Task DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}
