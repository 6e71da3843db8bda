namespace DockerNetPlugin.Testbed;

/// <summary>Runs batches of <c>ip</c> commands (one process per batch) in a named namespace.</summary>
internal static class IpCommands
{
    /// <summary><c>ip [-n netns] -b -</c> with one command per line; throws with the failing line on error.</summary>
    public static Task BatchAsync(string? netns, IEnumerable<string> commands, CancellationToken cancellationToken)
    {
        var argv = netns is null ? new List<string> { "ip", "-b", "-" } : ["ip", "-n", netns, "-b", "-"];
        return CommandRunner.RunCheckedAsync(argv, cancellationToken, stdin: string.Join('\n', commands) + "\n");
    }

    /// <summary>The argv prefix that runs a command in a named network namespace (root mount namespace).</summary>
    public static IReadOnlyList<string> InNetns(string netns) => ["nsenter", "--net=" + NetnsPath(netns), "--"];

    /// <summary>Where iproute2 keeps a named namespace.</summary>
    public static string NetnsPath(string netns) => "/run/netns/" + netns;
}
