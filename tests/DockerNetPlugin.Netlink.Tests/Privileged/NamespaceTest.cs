namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>
/// Base of tests that work in one throwaway namespace: deletes it afterwards, then checks that the
/// test's own thread was never left in another namespace.
/// </summary>
public abstract class NamespaceTest : IDisposable
{
    protected NamespaceTest(string tag) => Ns = new TestNamespace(tag);

    protected TestNamespace Ns { get; }

    protected RtnlHandle Rtnl => Ns.Rtnl;

    public void Dispose()
    {
        Ns.Dispose();
        HostNamespace.AssertCallingThreadInHost();
        GC.SuppressFinalize(this);
    }
}
