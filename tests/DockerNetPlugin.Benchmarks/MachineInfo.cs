using System.Globalization;

namespace DockerNetPlugin.Benchmarks;

/// <summary>What the numbers were measured on: cores, kernel, CPU model, and how busy the machine was (load averages at the end).</summary>
internal static class MachineInfo
{
    internal static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var load = string.Join('/', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPUs (nproc), Linux {kernel}, {cpu}, load average {load} (1/5/15 min)");
    }
}
