namespace DockerNetPlugin.Netlink.Wire;

/// <summary>Address families as the kernel numbers them (socket.h).</summary>
internal static class Af
{
    internal const byte AF_UNSPEC = 0;
    internal const byte AF_INET = 2;
    internal const byte AF_BRIDGE = 7;
    internal const byte AF_INET6 = 10;
    internal const byte AF_PACKET = 17;
}
