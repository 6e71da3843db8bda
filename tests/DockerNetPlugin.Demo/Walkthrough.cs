using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Demo;

/// <summary>The steps of the demo, each printed with the command it runs and what that command printed.</summary>
internal static class Walkthrough
{
    private const string Network = "demo";
    private const string Subnet = "10.40.0.0/24";

    public static async Task<int> RunAsync(TextWriter output, CancellationToken ct)
    {
        output.WriteLine("Starting 2 simulated Docker hosts (own dockerd each), an etcd, and dnp on both ...");
        await using var bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 2,
            StartEtcd = true,
            StartPlugin = true,
            StartInternet = false,
            PluginEnvironment = new Dictionary<string, string> { ["DNP_REPLICATE"] = "true" },
        }, ct).ConfigureAwait(false);
        var (h1, h2) = (bed.Hosts[0], bed.Hosts[1]);
        output.WriteLine($"  {h1.Name}: underlay {h1.UnderlayIp}   {h2.Name}: underlay {h2.UnderlayIp}   etcd: {bed.Etcd!.ClientUrl}   ({bed.StartDuration.TotalSeconds:F1} s)");
        try
        {
            Step(output, $"1. create the network on {h1.Name} only");
            var logicalId = (await DockerAsync(output, h1, "network", "create", "-d", "dnp", "--ipam-driver", "dnp", "--subnet", Subnet, Network).ConfigureAwait(false)).Trim();

            Step(output, $"2. it appears on {h2.Name} by itself (replicated through {h2.Name}'s Engine API)");
            for (var i = 0; i < 150 && !(await h2.DockerAsync("network", "inspect", Network).ConfigureAwait(false)).Succeeded; i++)
                await Task.Delay(200, ct).ConfigureAwait(false);
            await DockerAsync(output, h2, "network", "ls", "--filter", "driver=dnp").ConfigureAwait(false);

            Step(output, "3. one container on each host");
            await DockerAsync(output, h1, "run", "-d", "--name", "c1", "--network", Network, Testbed.Testbed.ImageName, "sleep", "3600").ConfigureAwait(false);
            await DockerAsync(output, h2, "run", "-d", "--name", "c2", "--network", Network, Testbed.Testbed.ImageName, "sleep", "3600").ConfigureAwait(false);
            var ip2 = (await DockerAsync(output, h2, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + Network + "\").IPAddress}}", "c2").ConfigureAwait(false)).Trim();

            Step(output, $"4. c1 on {h1.Name} pings c2 on {h2.Name} across the VXLAN overlay");
            var ping = await h1.DockerAsync("exec", "c1", "ping", "-c", "3", ip2).ConfigureAwait(false);
            Print(output, $"docker exec c1 ping -c 3 {ip2}", ping);

            var sandbox = "dnp-" + logicalId[..12];
            foreach (var h in new[] { h1, h2 })
            {
                Step(output, $"5. {h.Name}'s overlay namespace {sandbox}: br0 + vxlan0, and one static entry per remote container");
                var ns = "--net=" + Path.Combine(h.NetnsDir, sandbox);
                Print(output, "ip -d link show vxlan0", await h.ExecAsync("nsenter", ns, "ip", "-d", "link", "show", "vxlan0").ConfigureAwait(false));
                Print(output, "ip -br link", await h.ExecAsync("nsenter", ns, "ip", "-br", "link").ConfigureAwait(false));
                Print(output, "bridge fdb show dev vxlan0", await h.ExecAsync("nsenter", ns, "bridge", "fdb", "show", "dev", "vxlan0").ConfigureAwait(false));
                Print(output, "ip neigh show dev vxlan0", await h.ExecAsync("nsenter", ns, "ip", "neigh", "show", "dev", "vxlan0").ConfigureAwait(false));
            }
            Step(output, ping.Succeeded ? "The ping crossed hosts. Cleaning up ..." : "The ping did NOT cross hosts. Cleaning up ...");
            await h1.DockerAsync("rm", "-f", "c1").ConfigureAwait(false);
            await h2.DockerAsync("rm", "-f", "c2").ConfigureAwait(false);
            await h1.DockerAsync("network", "rm", Network).ConfigureAwait(false);
            return ping.Succeeded ? 0 : 1;
        }
        catch (TestbedException e)
        {
            output.WriteLine($"demo failed: {e.Message}");
            return 1;
        }
    }

    private static void Step(TextWriter output, string text)
    {
        output.WriteLine();
        output.WriteLine("== " + text);
    }

    private static async Task<string> DockerAsync(TextWriter output, SimHost host, params string[] args)
    {
        var result = await host.DockerAsync(args).ConfigureAwait(false);
        Print(output, $"{host.Name}$ docker {string.Join(' ', args)}", result);
        return result.EnsureSuccess().StdOut;
    }

    private static void Print(TextWriter output, string command, CommandResult result)
    {
        output.WriteLine("$ " + command);
        // iproute2's warnings on success (e.g. about peer namespaces it cannot name) are noise here.
        foreach (var line in (result.Succeeded ? result.StdOut : result.StdOut + result.StdErr).TrimEnd().Split('\n'))
            output.WriteLine("    " + line);
    }
}
