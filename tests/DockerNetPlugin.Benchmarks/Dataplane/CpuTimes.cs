using System.Globalization;

namespace DockerNetPlugin.Benchmarks.Dataplane;

/// <summary>
/// Machine-wide CPU time from the first line of <c>/proc/stat</c> (all cores, in clock ticks): how busy the machine was
/// between two samples, and how much of it was softirq (where the kernel does veth, bridge and VXLAN packet work).
/// </summary>
internal sealed record CpuTimes(long Busy, long SoftIrq, long Total)
{
    public static CpuTimes Read()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var (idle, iowait, softirq) = (fields[3], fields[4], fields[6]);
        var total = fields.Take(8).Sum();
        return new CpuTimes(total - idle - iowait, softirq, total);
    }

    /// <summary>Busy and softirq shares of all CPU time from <paramref name="before"/> to this sample (0..1).</summary>
    public (double Busy, double SoftIrq) Since(CpuTimes before)
    {
        var total = (double)(Total - before.Total);
        return ((Busy - before.Busy) / total, (SoftIrq - before.SoftIrq) / total);
    }
}
