using DockerNetPlugin.Driver.Local;
using DockerNetPlugin.Driver.Sandbox;

namespace DockerNetPlugin.Driver;

/// <summary>
/// A Docker network of this host while the plugin runs. Lock order: <see cref="Lock"/> (per network, async, top)
/// before <see cref="KernelGate"/> (bottom: held only around synchronous netlink calls; take nothing inside).
/// </summary>
internal sealed class NetworkRuntime
{
    public NetworkRuntime(LocalNetwork network) => Network = network;

    public LocalNetwork Network { get; }

    /// <summary>Serialises the protocol calls of this network.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Serialises kernel changes to the sandbox (protocol calls and peer updates).</summary>
    public object KernelGate { get; } = new();

    /// <summary>This host's endpoints on the network, by endpoint id. Changed only under <see cref="Lock"/>.</summary>
    public Dictionary<string, LocalEndpoint> Endpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>The overlay namespace while any endpoint is joined (read under <see cref="KernelGate"/>).</summary>
    public OverlaySandbox? Sandbox { get; set; }

    /// <summary>Answers vxlan0's misses while the sandbox exists (set and cleared with <see cref="Sandbox"/>).</summary>
    public MissResponder? Misses { get; set; }
}
