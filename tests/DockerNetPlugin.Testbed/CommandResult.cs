namespace DockerNetPlugin.Testbed;

/// <summary>The outcome of a finished command.</summary>
/// <param name="CommandLine">What ran, for messages.</param>
/// <param name="ExitCode">The exit code (-1 when it was killed on timeout).</param>
/// <param name="StdOut">Everything it wrote to stdout.</param>
/// <param name="StdErr">Everything it wrote to stderr.</param>
public sealed record CommandResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result, or throws <see cref="TestbedException"/> with the output when it failed.</summary>
    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new TestbedException($"`{CommandLine}` exited {ExitCode}: {StdErr.Trim()} {StdOut.Trim()}".Trim());

    /// <inheritdoc/>
    public override string ToString() => $"`{CommandLine}` → {ExitCode}\n{StdOut}{StdErr}";
}
