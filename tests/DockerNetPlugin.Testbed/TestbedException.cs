namespace DockerNetPlugin.Testbed;

/// <summary>The test bed could not build, run or tear down something; the message says what and shows log tails.</summary>
public sealed class TestbedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TestbedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TestbedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TestbedException()
        : base("Test bed failure.")
    {
    }
}
