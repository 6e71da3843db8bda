using System.Collections.Concurrent;
using System.Net;
using DockerNetPlugin.Driver.Liveness;

namespace DockerNetPlugin.Driver.Tests.Fakes;

/// <summary>The underlay as the liveness rule sees it: a host answers its probe when the test says it is up.</summary>
internal sealed class FakeProber : IHostProber
{
    private readonly ConcurrentDictionary<string, bool> _up = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string HostId, IPAddress Locator)> Probes { get; } = new();

    public void SetUp(string hostId, bool up) => _up[hostId] = up;

    public Task<bool> ProbeAsync(string hostId, IPAddress locator, CancellationToken ct)
    {
        Probes.Enqueue((hostId, locator));
        return Task.FromResult(_up.GetValueOrDefault(hostId));
    }
}
