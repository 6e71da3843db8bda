using System.Globalization;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>Docker's own alternative on the same simulated hosts: swarm mode and an <c>--attachable</c> overlay network.</summary>
internal static class SwarmMode
{
    /// <summary><c>docker swarm init</c> on <paramref name="manager"/> (advertising its underlay address); every worker joins.</summary>
    public static async Task InitAsync(SimHost manager, IEnumerable<SimHost> workers, CancellationToken ct)
    {
        var address = manager.UnderlayIp.ToString();
        await manager.DockerCheckedAsync(ct, "swarm", "init", "--advertise-addr", address, "--listen-addr", address + ":2377");
        var token = await manager.DockerCheckedAsync(ct, "swarm", "join-token", "-q", "worker");
        foreach (var worker in workers)
        {
            await worker.DockerCheckedAsync(ct, "swarm", "join", "--advertise-addr", worker.UnderlayIp.ToString(), "--token", token, address + ":2377");
        }
    }

    /// <summary>An attachable overlay network with a fixed subnet (so <c>--ip</c> works) and a fixed VNI (never dnp's).</summary>
    public static Task<string> CreateOverlayAsync(SimHost manager, string name, string subnet, uint vni, CancellationToken ct) =>
        manager.DockerCheckedAsync(ct, "network", "create", "-d", "overlay", "--attachable", "--subnet", subnet,
            "-o", "com.docker.network.driver.overlay.vxlanid_list=" + vni.ToString(CultureInfo.InvariantCulture), name);
}
