namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/neighbour.h: NTF_* flags (ndm_flags).</summary>
internal static class Ntf
{
    internal const byte NTF_SELF = 0x02;
    internal const byte NTF_MASTER = 0x04;
}
