namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/neighbour.h: NDA_* attributes.</summary>
internal static class Nda
{
    internal const int NdMsgSize = 12;

    internal const ushort NDA_DST = 1;
    internal const ushort NDA_LLADDR = 2;
    internal const ushort NDA_PORT = 6;
    internal const ushort NDA_VNI = 7;
    internal const ushort NDA_IFINDEX = 8;
    internal const ushort NDA_MASTER = 9;
}
