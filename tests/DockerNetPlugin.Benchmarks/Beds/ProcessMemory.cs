using System.Globalization;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>
/// A process's memory from <c>/proc/PID/status</c>: VmRSS, VmHWM (peak), and what the resident pages are: RssAnon (GC heap,
/// JIT'd code, native allocations), RssShmem (.NET maps executable memory twice through a shared mapping, W^X) and RssFile
/// (mapped binaries and assemblies, shared with other processes using the same files). Sizes in KiB.
/// </summary>
internal sealed record ProcessMemory(long RssKb, long PeakRssKb, long AnonymousKb, long ShmemKb, long FileKb)
{
    public double RssMb => RssKb / 1024.0;

    public static ProcessMemory Read(int pid)
    {
        var status = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var parts = line.Split(':', 2);
            if (parts.Length == 2 && parts[1].Trim().Split(' ') is [var number, "kB"] && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                status[parts[0]] = kb;
            }
        }

        return new ProcessMemory(status["VmRSS"], status["VmHWM"], status["RssAnon"], status["RssShmem"], status["RssFile"]);
    }

    /// <summary>"97.1 MB (anon 38.2, shmem 19.8, file 39.1)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{RssKb / 1024.0:F1} MB (anon {AnonymousKb / 1024.0:F1}, shmem {ShmemKb / 1024.0:F1}, file {FileKb / 1024.0:F1})");
}
