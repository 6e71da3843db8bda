namespace DockerNetPlugin.Cli;

/// <summary>A problem a command reports as one line on stderr and a non-zero exit (1: the answer is "no"/unreachable, 2: usage).</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode = 1) : base(message) => ExitCode = exitCode;

    public CliException(string message, Exception inner) : base(message, inner) => ExitCode = 1;

    public int ExitCode { get; }
}
