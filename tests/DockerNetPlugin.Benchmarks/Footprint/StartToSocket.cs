using System.Diagnostics;
using System.Net.Sockets;

namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>
/// Starts <c>dnp serve</c> (working directory <c>/</c>) with throwaway directories and an empty embedded store, and times process start → socket
/// accepts a connection, and → the "ready" log line (driver and IPAM up). Several executables are measured in turns (one start of each
/// per round), so a burst of load on the machine hits them alike; one warm-up round (disk cache) first.
/// </summary>
internal static class StartToSocket
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<(Timing Socket, Timing Ready)>> MeasureAsync(IReadOnlyList<string> executables, int repetitions, CancellationToken ct)
    {
        var socket = executables.Select(_ => new List<double>()).ToList();
        var ready = executables.Select(_ => new List<double>()).ToList();
        for (var i = 0; i <= repetitions; i++)
        {
            for (var e = 0; e < executables.Count; e++)
            {
                var (toSocket, toReady) = await OnceAsync(executables[e], ct);
                if (i == 0)
                    continue;
                socket[e].Add(toSocket);
                ready[e].Add(toReady);
            }
        }
        return socket.Select((s, e) => (Timing.Of(s), Timing.Of(ready[e]))).ToList();
    }

    private static async Task<(double Socket, double Ready)> OnceAsync(string executable, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("dnpb-start-").FullName;
        var socketPath = Path.Combine(dir, "dnp.sock");
        // Working directory "/", as under systemd and in a managed plugin's container.
        var psi = new ProcessStartInfo(executable, ["serve"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = "/" };
        psi.Environment["DNP_SOCKET"] = socketPath;
        psi.Environment["DNP_STATE_DIR"] = Path.Combine(dir, "state");
        psi.Environment["DNP_STORE"] = "file://" + Path.Combine(dir, "store");
        psi.Environment["DNP_NETNS_DIR"] = Path.Combine(dir, "netns");
        psi.Environment["DNP_ADVERTISE_ADDR"] = "127.0.0.1";
        var readySeen = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + executable);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("ready: driver and IPAM started", StringComparison.Ordinal) == true)
                readySeen.TrySetResult(watch.Elapsed.TotalMilliseconds);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var toSocket = await WaitForSocketAsync(socketPath, watch, process, ct);
            var toReady = await readySeen.Task.WaitAsync(s_timeout, ct);
            return (toSocket, toReady);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> WaitForSocketAsync(string path, Stopwatch watch, Process process, CancellationToken ct)
    {
        while (watch.Elapsed < s_timeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"dnp serve exited with {process.ExitCode} before its socket answered");
            if (File.Exists(path))
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return watch.Elapsed.TotalMilliseconds;
                }
                catch (SocketException)
                {
                    // bound but not listening yet
                }
            }
            await Task.Delay(1, ct);
        }
        throw new TimeoutException($"the socket {path} did not answer within {s_timeout.TotalSeconds} s");
    }
}
