using System.Globalization;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>What a benchmark does with a simulated host's docker CLI; every command must succeed.</summary>
internal static class HostDocker
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs <c>docker ARGS</c> on the host; returns its trimmed stdout, throws with its output when it fails.</summary>
    public static async Task<string> DockerCheckedAsync(this SimHost host, CancellationToken ct, params string[] args) =>
        (await host.DockerAsync(args, ct, s_timeout)).EnsureSuccess().StdOut.Trim();

    /// <summary>
    /// A dnp network in manual mode, as a user creates it on each host: the same name, subnet and VNI, and
    /// <c>-o dnp.network=NAME --ipam-opt dnp.network=NAME</c> so every host maps it to one logical network.
    /// The VNI is explicit so it can never meet the VNI of a swarm overlay on the same hosts (both use UDP 4789).
    /// </summary>
    public static Task<string> CreateDnpNetworkAsync(this SimHost host, string driver, string name, string subnet, uint vni, CancellationToken ct, params string[] extra) =>
        host.DockerCheckedAsync(ct, ["network", "create", "-d", driver, "--ipam-driver", driver, "--subnet", subnet,
            "-o", "dnp.network=" + name, "--ipam-opt", "dnp.network=" + name, "-o", "dnp.vni=" + vni.ToString(CultureInfo.InvariantCulture), .. extra, name]);

    /// <summary><c>docker run -d --name NAME --network NET [--ip IP] dnp-busybox sleep 3600</c>.</summary>
    public static Task<string> RunSleeperAsync(this SimHost host, string name, string network, string? ip, CancellationToken ct) =>
        host.DockerCheckedAsync(ct, ["run", "-d", "--name", name, "--network", network, .. ip is null ? Array.Empty<string>() : ["--ip", ip], BenchBed.Image, "sleep", "3600"]);

    /// <summary>The PID of a running container's init (the simulated hosts share the machine's PID namespace).</summary>
    public static async Task<int> ContainerPidAsync(this SimHost host, string container, CancellationToken ct) =>
        int.Parse(await host.DockerCheckedAsync(ct, "inspect", "-f", "{{.State.Pid}}", container), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// argv that runs a program from the machine's filesystem inside a container's network namespace (<c>nsenter -t PID -n</c>):
    /// traffic it sends leaves through the container's eth0, exactly as the container's own would. The busybox image has no
    /// iperf3 and its ping has no <c>-M do</c>, so the host's binaries are used this way.
    /// </summary>
    public static string[] InContainerNetns(int containerPid, params string[] argv) =>
        ["nsenter", "-t", containerPid.ToString(CultureInfo.InvariantCulture), "-n", "--", .. argv];
}
