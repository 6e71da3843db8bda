using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// What a user (or an operator with <c>dig</c>) sees of names on one host: busybox <c>nslookup</c>/<c>ping</c> inside a
/// container (through Docker's 127.0.0.11, which forwards to our resolver), and BIND's <c>dig</c> run in a container's
/// network namespace against a chosen server.
/// </summary>
internal sealed class NameScenario(SimHost host)
{
    public HostScenario Docker { get; } = new(host);

    public SimHost Host => host;

    /// <summary><c>dig +short</c> from inside <paramref name="container"/>'s namespace: the answers, one per line (empty: none).</summary>
    public async Task<string[]> DigShortAsync(string container, string name, string type = "A", string server = NamesBedFixture.Resolver, params string[] extra)
    {
        var result = await DigAsync(container, ["+short", .. extra, $"@{server}", name, type]);
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';')).ToArray();
    }

    /// <summary>The PTR answers for <paramref name="address"/> (<c>dig -x</c>) from inside <paramref name="container"/>'s namespace.</summary>
    public async Task<string[]> PtrAsync(string container, string address)
    {
        var result = await DigAsync(container, ["+short", $"@{NamesBedFixture.Resolver}", "-x", address]);
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';')).ToArray();
    }

    /// <summary><c>docker run -d --name NAME --network NETWORK FLAGS busybox sleep 3600</c>.</summary>
    public async Task RunWithAsync(string name, string network, params string[] flags) =>
        (await host.DockerAsync(["run", "-d", "--name", name, "--network", network, .. flags, SingleHost.HostScenario.Image, "sleep", "3600"], CancellationToken.None, TimeSpan.FromSeconds(180))).EnsureSuccess();

    /// <summary>The response code dig reports (<c>NOERROR</c>, <c>NXDOMAIN</c>, <c>FORMERR</c>, ...), or the failure text.</summary>
    public async Task<string> DigStatusAsync(string container, string name, string type = "A", params string[] extra)
    {
        var result = await DigAsync(container, [.. extra, $"@{NamesBedFixture.Resolver}", name, type]);
        var line = result.StdOut.Split('\n').FirstOrDefault(l => l.Contains("status: ", StringComparison.Ordinal));
        return line is null ? "no answer: " + result : line[(line.IndexOf("status: ", StringComparison.Ordinal) + 8)..].Split(',')[0].Trim();
    }

    /// <summary>Runs <c>dig</c> (two 2 s tries) in <paramref name="container"/>'s network namespace.</summary>
    public async Task<CommandResult> DigAsync(string container, IReadOnlyList<string> args) =>
        await InContainerNetnsAsync(container, ["dig", "+time=2", "+tries=2", .. args]);

    /// <summary>A command of this machine run in <paramref name="container"/>'s network namespace (nsenter -n).</summary>
    public async Task<CommandResult> InContainerNetnsAsync(string container, IReadOnlyList<string> command)
    {
        if (!_pids.TryGetValue(container, out var pid))
            _pids[container] = pid = (await host.DockerAsync("inspect", "-f", "{{.State.Pid}}", container)).EnsureSuccess().StdOut.Trim();
        return await host.ExecAsync(["nsenter", "-t", pid, "-n", .. command], CancellationToken.None, TimeSpan.FromSeconds(30));
    }

    // Container name → its process (a test's container names are unique in the bed, and run until the test removes them).
    private readonly Dictionary<string, string> _pids = new(StringComparer.Ordinal);

    /// <summary>The addresses busybox <c>nslookup NAME</c> prints in <paramref name="container"/> (its resolv.conf: Docker's 127.0.0.11), sorted.</summary>
    public async Task<string[]> NslookupAsync(string container, string name)
    {
        // Exit status is not looked at: busybox fails the whole lookup when one of A/AAAA has no answer.
        var result = await Docker.ExecAsync(container, "nslookup", name);
        // busybox prints the server first ("Server: 127.0.0.11", "Address: 127.0.0.11:53"), then the answers.
        var answers = result.StdOut.Split("Name:", 2) is { Length: 2 } parts ? parts[1] : "";
        return answers.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Address", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).Where(a => a.Length > 0)
            .Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Polls <paramref name="probe"/> until it returns <paramref name="expected"/> (order ignored), at most <paramref name="within"/>.</summary>
    public static async Task<string[]> EventuallyAsync(Func<Task<string[]>> probe, string[] expected, TimeSpan within)
    {
        var want = expected.Order(StringComparer.Ordinal).ToArray();
        string[] last = [];
        await Eventually.HoldsAsync(async () => (last = (await probe()).Order(StringComparer.Ordinal).ToArray()).SequenceEqual(want), within);
        return last;
    }

    /// <summary>Polls fast (every 20 ms) until <paramref name="probe"/> answers nothing or <paramref name="deadline"/> passed; true if it did.</summary>
    public static async Task<bool> GoneBeforeAsync(Func<Task<string[]>> probe, DateTime deadline)
    {
        while (true)
        {
            if ((await probe()).Length == 0)
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(20);
        }
    }
}
