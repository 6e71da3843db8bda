namespace DockerNetPlugin.Driver;

/// <summary>Root of the driver's errors; the message is shown to the user by Docker, so it says what to do.</summary>
public class DriverException : Exception
{
    public DriverException(string message) : base(message) { }
    public DriverException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The request itself is wrong (bad option, bad CIDR, missing field).</summary>
public sealed class InvalidRequestException : DriverException
{
    public InvalidRequestException(string message) : base(message) { }
}

/// <summary>A network or endpoint the call needs is not known to this host.</summary>
public sealed class NotFoundException : DriverException
{
    public NotFoundException(string message) : base(message) { }
}

/// <summary>The request clashes with cluster state (VNI in use, subnet mismatch with the logical network).</summary>
public sealed class ConflictException : DriverException
{
    public ConflictException(string message) : base(message) { }
}

/// <summary>The kernel refused to build the data path; carries the netlink error.</summary>
public sealed class DataPathException : DriverException
{
    public DataPathException(string message, Exception? inner) : base(message, inner) { }
}
