using System.Net;

namespace DockerNetPlugin.Driver.Liveness;

/// <summary>Asks a host over the underlay whether it is there (the seam the liveness rule is tested through).</summary>
internal interface IHostProber
{
    /// <summary>True when host <paramref name="hostId"/> answered at <paramref name="locator"/> within the probe's deadline.</summary>
    Task<bool> ProbeAsync(string hostId, IPAddress locator, CancellationToken ct);
}
