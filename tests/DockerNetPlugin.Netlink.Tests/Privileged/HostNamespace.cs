namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>The process's own namespace, which every non-dedicated thread must stay in.</summary>
internal static class HostNamespace
{
    internal static readonly ulong Inode = ReadInode();

    internal static void AssertCallingThreadInHost() => Assert.Equal(Inode, NetNs.CurrentThreadNetNsInode());

    private static ulong ReadInode()
    {
        using var host = NetNs.OpenCurrentProcess();
        return host.Inode;
    }
}
