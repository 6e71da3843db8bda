namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/if_addr.h: IFA_* attributes and IFA_F_* flags.</summary>
internal static class Ifa
{
    internal const int IfAddrMsgSize = 8;

    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;

    internal const byte IFA_F_NODAD = 0x02;
}
