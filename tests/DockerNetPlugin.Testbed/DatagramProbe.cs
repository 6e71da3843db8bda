using System.Globalization;
using System.Text.Json;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// UDP datagrams between containers, sent and counted by the machine's <c>python3</c> run inside a container's network
/// namespace (<c>nsenter -t PID -n</c>; the busybox image has no multicast tools). The traffic leaves through the
/// container's interface on the given network (found by its address), exactly as the container's own would: the
/// sender binds to it (<c>SO_BINDTODEVICE</c>, <c>IP_MULTICAST_IF</c>), so a default route via docker_gwbridge does not
/// take it elsewhere. Each datagram carries a sequence number; receivers count distinct ones.
/// </summary>
public static class DatagramProbe
{
    private static readonly TimeSpan s_readyLimit = TimeSpan.FromSeconds(30);

    private const string Script = """
        import json, socket, struct, sys, time
        mode = sys.argv[1]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if mode == "recv":
            group, local, port, idle, ready, limit = sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], float(sys.argv[7])
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
            s.bind(("", port))
            if group != "-":
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton(local))
            open(ready, "w").close()
            seen, n, first, last, end = set(), 0, None, None, time.time() + limit
            while True:
                now = time.time()
                wait = end - now if first is None else min(end - now, idle)
                if wait <= 0:
                    break
                s.settimeout(wait)
                try:
                    data = s.recv(65535)
                except socket.timeout:
                    break
                last = time.time()
                first = first or last
                n += 1
                if len(data) >= 8:
                    seen.add(struct.unpack("!Q", data[:8])[0])
            print(json.dumps({"received": n, "distinct": len(seen), "seconds": (last - first) if first else 0.0}))
        else:
            dest, local, device, port, count, gap, seconds, size = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
            pad, i, failed, start = b"x" * max(0, size - 8), 0, 0, time.time()
            while (count == 0 or i < count) and (seconds == 0 or time.time() - start < seconds):
                try:
                    s.sendto(struct.pack("!Q", i) + pad, (dest, port))
                    i += 1
                except OSError:
                    failed += 1
                if gap > 0:
                    time.sleep(gap)
            print(json.dumps({"sent": i, "failed": failed, "seconds": time.time() - start}))
        """;

    /// <summary>
    /// Starts counting datagrams to <paramref name="port"/> in <paramref name="container"/> (joining
    /// <paramref name="group"/> on its <paramref name="address"/> when given) and returns once it listens. It stops
    /// <paramref name="idle"/> after the last datagram, or after <paramref name="limit"/> when none comes.
    /// </summary>
    public static async Task<Task<Received>> StartReceiverAsync(SimHost host, string container, string address, int port, string? group,
        TimeSpan idle, TimeSpan limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        var ready = Path.Combine(Path.GetTempPath(), $"dnp-probe-{Guid.NewGuid():N}.ready");
        var enter = await InContainerAsync(host, container, ct).ConfigureAwait(false);
        var run = host.ExecAsync([.. enter, "python3", "-c", Script, "recv", group ?? "-", address, Text(port), Text(idle.TotalSeconds), ready, Text(limit.TotalSeconds)],
            ct, limit + idle + TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow + s_readyLimit;
        while (!File.Exists(ready))
        {
            if (run.IsCompleted || DateTime.UtcNow > deadline)
                throw new TestbedException($"{host.Name}: the datagram receiver in {container} did not start: {(run.IsCompleted ? (await run.ConfigureAwait(false)).ToString() : "no ready file in 30 s")}");
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
        File.Delete(ready);
        return ParseAsync(run, d => new Received(d.GetProperty("received").GetInt32(), d.GetProperty("distinct").GetInt32(), d.GetProperty("seconds").GetDouble()));
    }

    /// <summary>
    /// Sends <paramref name="count"/> datagrams (0: unlimited) of <paramref name="size"/> bytes from <paramref name="container"/>'s
    /// interface holding <paramref name="address"/> to <paramref name="destination"/> (a group, a broadcast or a unicast
    /// address), <paramref name="gap"/> apart, for at most <paramref name="seconds"/> (0: no limit).
    /// </summary>
    public static async Task<Sent> SendAsync(SimHost host, string container, string address, string destination, int port, int count,
        TimeSpan gap, double seconds, int size, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        var enter = await InContainerAsync(host, container, ct).ConfigureAwait(false);
        var device = await DeviceOfAsync(host, enter, address, ct).ConfigureAwait(false);
        var run = host.ExecAsync([.. enter, "python3", "-c", Script, "send", destination, address, device, Text(port), Text(count), Text(gap.TotalSeconds), Text(seconds), Text(size)],
            ct, TimeSpan.FromSeconds(seconds + 60 + count * gap.TotalSeconds));
        return await ParseAsync(run, d => new Sent(d.GetProperty("sent").GetInt32(), d.GetProperty("failed").GetInt32(), d.GetProperty("seconds").GetDouble())).ConfigureAwait(false);
    }

    private static async Task<string[]> InContainerAsync(SimHost host, string container, CancellationToken ct)
    {
        var pid = (await host.DockerAsync(["inspect", "-f", "{{.State.Pid}}", container], ct).ConfigureAwait(false)).EnsureSuccess().StdOut.Trim();
        return ["nsenter", "-t", pid, "-n", "--"];
    }

    /// <summary>The container's interface that holds <paramref name="address"/> (eth0 or eth1 depending on the engine's order).</summary>
    private static async Task<string> DeviceOfAsync(SimHost host, string[] enter, string address, CancellationToken ct)
    {
        var shown = (await host.ExecAsync([.. enter, "ip", "-o", "-4", "addr", "show", "to", address + "/32"], ct).ConfigureAwait(false)).EnsureSuccess().StdOut;
        var fields = shown.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 ? fields[1].Split('@')[0] : throw new TestbedException($"{host.Name}: no interface holds {address}: {shown}");
    }

    private static async Task<T> ParseAsync<T>(Task<CommandResult> run, Func<JsonElement, T> read)
    {
        var result = (await run.ConfigureAwait(false)).EnsureSuccess();
        var line = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new TestbedException($"{result.CommandLine}: no output");
        using var doc = JsonDocument.Parse(line);
        return read(doc.RootElement);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a receiver counted: datagrams, distinct sequence numbers, seconds from the first to the last.</summary>
    public sealed record Received(int Datagrams, int Distinct, double Seconds);

    /// <summary>What a sender sent: datagrams, send calls the kernel refused (ENOBUFS and the like), and for how long.</summary>
    public sealed record Sent(int Datagrams, int Failed, double Seconds);
}
