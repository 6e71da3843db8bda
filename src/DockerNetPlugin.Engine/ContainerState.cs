namespace DockerNetPlugin.Engine;

/// <summary>A container's run state.</summary>
public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>exited</c>, ...</summary>
    public string? Status { get; init; }

    /// <summary>True while running.</summary>
    public bool Running { get; init; }

    /// <summary>The init process ID on the host (0 when not running).</summary>
    public int Pid { get; init; }

    /// <summary>The last exit code.</summary>
    public int ExitCode { get; init; }
}
