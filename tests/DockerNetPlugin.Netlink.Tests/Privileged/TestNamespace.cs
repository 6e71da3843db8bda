using System.Security.Cryptography;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>
/// A throwaway network namespace under /run/netns named with this run's prefix (dnpt + 6 hex), with a handle
/// opened inside it. Disposal closes the handle and deletes the namespace, also when the test failed.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    internal const string Directory = "/run/netns";

    /// <summary>Run-specific prefix shared by every namespace of this test run.</summary>
    internal static readonly string RunPrefix = "dnpt" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();

    private static int s_counter;

    public TestNamespace(string tag)
    {
        Name = $"{RunPrefix}-{tag}{Interlocked.Increment(ref s_counter)}";
        Path = $"{Directory}/{Name}";
        Ns = NetNs.Create(Path);
        try
        {
            Rtnl = RtnlHandle.OpenIn(Ns);
        }
        catch
        {
            Ns.Dispose();
            NetNs.Delete(Path);
            throw;
        }
    }

    public string Name { get; }

    public string Path { get; }

    public NetNs Ns { get; }

    public RtnlHandle Rtnl { get; }

    public void Dispose()
    {
        Rtnl.Dispose();
        Ns.Dispose();
        NetNs.Delete(Path);
    }
}
