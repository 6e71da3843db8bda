namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class HostHandleTests
{
    [PrivilegedFact]
    public void OpenHost_FromThreadInsideOtherNamespace_StillTalksToHost()
    {
        using var ns = new TestNamespace("host");
        using var fromHost = RtnlHandle.OpenHost();
        var hostIndexOfLo = fromHost.LinkByName("lo")!.Index;

        var seen = ns.Ns.Run(() =>
        {
            using var host = RtnlHandle.OpenHost();
            return host.LinkList().Select(l => l.Name).ToList();
        });

        Assert.Equal(["lo"], ns.Rtnl.LinkList().Select(l => l.Name));
        Assert.Contains(seen, name => name != "lo");
        Assert.Equal(hostIndexOfLo, fromHost.LinkByName("lo")!.Index);
        HostNamespace.AssertCallingThreadInHost();
    }
}
