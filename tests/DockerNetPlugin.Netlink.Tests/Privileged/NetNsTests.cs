namespace DockerNetPlugin.Netlink.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class NetNsTests
{
    [PrivilegedFact]
    public void Create_NewPath_MountsSeparateNamespaceThatIpSees()
    {
        using var ns = new TestNamespace("ns");

        Assert.True(NetNs.Exists(ns.Path));
        Assert.NotEqual(HostNamespace.Inode, ns.Ns.Inode);
        Assert.Contains(ns.Name, Tool.Run("ip", "netns", "list"), StringComparison.Ordinal);
        var links = Tool.Ip(ns, "-o", "link", "show");
        Assert.Single(links.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lo:", links, StringComparison.Ordinal);
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void Delete_CreatedNamespace_RemovesMountAndFile()
    {
        var ns = new TestNamespace("del");
        ns.Dispose();

        Assert.False(NetNs.Exists(ns.Path));
        Assert.False(File.Exists(ns.Path));
        Assert.DoesNotContain(ns.Path, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void Delete_MissingPath_IsNoOp()
    {
        var path = $"{TestNamespace.Directory}/{TestNamespace.RunPrefix}-missing";

        NetNs.Delete(path);

        Assert.False(File.Exists(path));
    }

    [PrivilegedFact]
    public void Create_ExistingNamespace_ThrowsAlreadyExists()
    {
        using var ns = new TestNamespace("dup");

        var e = Assert.Throws<NetlinkException>(() => NetNs.Create(ns.Path));

        Assert.True(e.IsAlreadyExists);
        Assert.Contains(ns.Path, e.Message, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public void CreateOrOpen_ExistingNamespace_OpensTheSameOne()
    {
        using var ns = new TestNamespace("reopen");

        using var again = NetNs.CreateOrOpen(ns.Path);

        Assert.Equal(ns.Ns.Inode, again.Inode);
    }

    [PrivilegedFact]
    public void Open_PlainFile_ThrowsNotANamespace()
    {
        var path = $"/tmp/{TestNamespace.RunPrefix}-plain";
        File.WriteAllText(path, string.Empty);
        try
        {
            var e = Assert.Throws<NetlinkException>(() => NetNs.Open(path));

            Assert.Contains("not an nsfs file", e.Message, StringComparison.Ordinal);
            Assert.False(NetNs.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [PrivilegedFact]
    public void Run_Action_RunsOnDedicatedThreadInsideNamespace()
    {
        using var ns = new TestNamespace("run");
        var callerThread = Environment.CurrentManagedThreadId;

        var (inode, thread, pooled) = ns.Ns.Run(() => (NetNs.CurrentThreadNetNsInode(), Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));

        Assert.Equal(ns.Ns.Inode, inode);
        Assert.NotEqual(callerThread, thread);
        Assert.False(pooled);
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void Run_ActionThrows_RethrowsAndLeavesCallerInHost()
    {
        using var ns = new TestNamespace("throw");

        Assert.Throws<InvalidOperationException>(() => ns.Ns.Run(() => throw new InvalidOperationException("boom")));

        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void WriteSysctl_InNamespace_ChangesOnlyThatNamespace()
    {
        using var ns = new TestNamespace("sysctl");
        var host = File.ReadAllText("/proc/sys/net/ipv4/conf/all/arp_ignore").Trim();
        var wanted = host == "1" ? "2" : "1";

        ns.Ns.WriteSysctl("net/ipv4/conf/all/arp_ignore", wanted);
        ns.Ns.WriteSysctl("net.ipv4.conf.default.arp_announce", "2");

        Assert.Equal(wanted, Tool.Run("ip", "netns", "exec", ns.Name, "cat", "/proc/sys/net/ipv4/conf/all/arp_ignore").Trim());
        Assert.Equal("2", Tool.Run("ip", "netns", "exec", ns.Name, "cat", "/proc/sys/net/ipv4/conf/default/arp_announce").Trim());
        Assert.Equal(host, File.ReadAllText("/proc/sys/net/ipv4/conf/all/arp_ignore").Trim());
        HostNamespace.AssertCallingThreadInHost();
    }

    [PrivilegedFact]
    public void WriteSysctl_PathEscape_ThrowsArgumentException()
    {
        using var ns = new TestNamespace("esc");

        Assert.Throws<ArgumentException>(() => ns.Ns.WriteSysctl("net/../../etc/passwd", "x"));
    }
}
