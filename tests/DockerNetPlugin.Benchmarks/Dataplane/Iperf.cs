using System.Globalization;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>
/// One iperf3 TCP test between two simulated hosts: a one-shot server (<c>iperf3 -s -1</c>) started in the server host, the
/// client run in the client host; either side may be entered into a container's network namespace through an argv prefix.
/// </summary>
internal static class Iperf
{
    private const string Port = "5201";

    public static async Task<IperfResult> RunAsync(
        (SimHost Host, string[] Prefix) server, (SimHost Host, string[] Prefix) client, string target, int streams, int seconds, CancellationToken ct)
    {
        const string Name = "iperf3-server";
        await server.Host.StartProcessAsync(Name, [.. server.Prefix, "iperf3", "-s", "-1", "-p", Port]);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var cpu = CpuTimes.Read();
                var result = await client.Host.ExecAsync(
                    [.. client.Prefix, "iperf3", "-c", target, "-p", Port, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-P", streams.ToString(CultureInfo.InvariantCulture), "-J"],
                    ct, TimeSpan.FromSeconds(seconds + 30));
                if (result.Succeeded && !result.StdOut.Contains("\"error\":", StringComparison.Ordinal))
                {
                    return IperfResult.Parse(result.StdOut) with { Cpu = CpuTimes.Read().Since(cpu) };
                }

                // The server may not be listening yet right after its start.
                if (attempt >= 50 || !result.StdOut.Contains("Connection refused", StringComparison.Ordinal) && !result.StdOut.Contains("server is busy", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"iperf3 to {target} failed: {result}");
                }

                await Task.Delay(100, ct);
            }
        }
        finally
        {
            await server.Host.StopProcessAsync(Name);
        }
    }
}
