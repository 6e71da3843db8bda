using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>The two-host scenario the reliability tests share: a container on each host, pinging across.</summary>
internal static class TwoHostPing
{
    /// <summary>A manual-mode network on both hosts with one container on each (NAME-1, NAME-2); their IPv4 addresses.</summary>
    public static async Task<(string Ip1, string Ip2)> TwoContainersAsync(HostScenario h1, HostScenario h2, string name, string subnet)
    {
        string[] options = ["--subnet", subnet, "-o", "dnp.network=" + name, "--ipam-opt", "dnp.network=" + name];
        await h1.CreateNetworkAsync(name, options);
        await h2.CreateNetworkAsync(name, options);
        await Task.WhenAll(h1.RunAsync(name + "-1", name), h2.RunAsync(name + "-2", name));
        var ip1 = await h1.IpOfAsync(name + "-1", name);
        var ip2 = await h2.IpOfAsync(name + "-2", name);
        Assert.True((await h1.PingEventuallyAsync(name + "-1", ip2)).Succeeded, $"{name}: h1 → h2 before the scenario");
        return (ip1, ip2);
    }

    public static async Task RemoveAsync(HostScenario h1, HostScenario h2, string name)
    {
        await h1.RemoveAsync([name + "-1"], name);
        await h2.RemoveAsync([name + "-2"], name);
    }
}
