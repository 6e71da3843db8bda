using System.Net;

namespace DockerNetPlugin.Engine;

/// <summary>The daemon answered 409 Conflict, e.g. a network with that name already exists.</summary>
public sealed class DockerConflictException : DockerEngineException
{
    /// <summary>Creates the exception.</summary>
    public DockerConflictException(string message, string? daemonMessage)
        : base(message, HttpStatusCode.Conflict, daemonMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DockerConflictException(string message)
        : this(message, (string?)null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DockerConflictException(string message, Exception innerException)
        : base(message, HttpStatusCode.Conflict, null, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DockerConflictException()
        : this("The Docker daemon answered 409 Conflict.")
    {
    }
}
