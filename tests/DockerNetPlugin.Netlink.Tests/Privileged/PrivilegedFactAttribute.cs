namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>
/// A fact that needs root (namespaces, mounts, netlink writes). It is skipped only on a developer machine
/// without root; under CI=true it always runs, so a missing privilege fails the run instead of hiding it.
/// </summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && Environment.UserName != "root")
        {
            Skip = "needs root (runs always under CI=true)";
        }
    }
}
