using System.Diagnostics;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>
/// A <c>dnp serve</c> the benchmark started in a simulated host: its driver name (the socket's name, which Docker uses for
/// <c>-d</c> and <c>--ipam-driver</c>), its PID (for <c>/proc/PID/status</c>) and its JSON log.
/// </summary>
internal sealed class PluginProcess(SimHost host, string driver, int pid, string logPath, string netnsDir)
{
    public SimHost Host => host;

    /// <summary>The driver name Docker knows it by (<c>dnp</c>, or another socket name for a second instance).</summary>
    public string Driver => driver;

    public int Pid => pid;

    /// <summary>Where the log ends now: pass it to <see cref="EventsSince"/> to read only what a measurement caused.</summary>
    public long LogPosition() => new FileInfo(logPath).Length;

    public IReadOnlyList<PluginLogEvent> EventsSince(long position)
    {
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(position, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var events = new List<PluginLogEvent>();
        while (reader.ReadLine() is { } line)
        {
            if (PluginLogEvent.TryParse(line) is { } e)
            {
                events.Add(e);
            }
        }

        return events;
    }

    /// <summary>Waits for the "ready" line (driver and IPAM initialised after the socket was bound).</summary>
    public async Task WaitReadyAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!EventsSince(0).Any(e => e.EventId == PluginLogEvent.Ready))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                var tail = File.Exists(logPath) ? string.Join('\n', File.ReadLines(logPath).TakeLast(15)) : "(no log)";
                throw new InvalidOperationException($"{host.Name}: plugin {driver} did not log ready within 30 s; log: {logPath}, its end:\n{tail}");
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// The overlay namespace of logical network <paramref name="logicalId"/> as the benchmark process can open it: the plugin
    /// bind-mounts it inside the host's private mount namespace, which <c>/proc/&lt;holder&gt;/root</c> shows.
    /// </summary>
    public string OverlayNamespacePath(string logicalId) =>
        $"/proc/{host.HolderPid}/root{Path.Combine(netnsDir, DeviceNames.Sandbox(logicalId))}";

    /// <summary>Resident set size now, from <c>/proc/PID/status</c> VmRSS.</summary>
    public ProcessMemory Memory() => ProcessMemory.Read(pid);
}
