using System.Text.Json;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>
/// What one iperf3 TCP test reported (<c>-J</c>): received throughput and sender retransmits; plus the machine's CPU busy and
/// softirq shares while it ran (see <see cref="CpuTimes"/>).
/// </summary>
internal sealed record IperfResult(double BitsPerSecond, long Retransmits, (double Busy, double SoftIrq) Cpu = default)
{
    public double Gbps => BitsPerSecond / 1e9;

    public static IperfResult Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException("iperf3: " + error.GetString());
        }

        var end = doc.RootElement.GetProperty("end");
        return new IperfResult(
            end.GetProperty("sum_received").GetProperty("bits_per_second").GetDouble(),
            end.GetProperty("sum_sent").TryGetProperty("retransmits", out var r) ? r.GetInt64() : 0);
    }
}
