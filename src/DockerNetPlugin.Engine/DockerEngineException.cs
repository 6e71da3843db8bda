using System.Net;

namespace DockerNetPlugin.Engine;

/// <summary>
/// A Docker Engine API call failed: the daemon answered an error status (its <c>message</c> is kept),
/// it could not be reached, or it did not answer in time.
/// </summary>
public class DockerEngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DockerEngineException(string message, HttpStatusCode? statusCode = null, string? daemonMessage = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        DaemonMessage = daemonMessage;
    }

    /// <summary>Creates the exception without a status.</summary>
    public DockerEngineException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception without a status.</summary>
    public DockerEngineException(string message, Exception innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DockerEngineException()
        : this("Docker Engine API call failed.")
    {
    }

    /// <summary>The HTTP status the daemon answered, or null when there was no answer.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The daemon's own error text (<c>{"message": ...}</c>), if any.</summary>
    public string? DaemonMessage { get; }
}
