namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/rtnetlink.h: rtmsg fields (RT_TABLE_*, RTPROT_*, RT_SCOPE_*, RTN_*) and RTA_* attributes.</summary>
internal static class Rta
{
    internal const int RtMsgSize = 12;

    internal const ushort RTA_DST = 1;
    internal const ushort RTA_OIF = 4;
    internal const ushort RTA_GATEWAY = 5;
    internal const ushort RTA_TABLE = 15;

    internal const byte RT_TABLE_UNSPEC = 0;
    internal const byte RT_TABLE_MAIN = 254;

    internal const byte RTPROT_UNSPEC = 0;
    internal const byte RTPROT_BOOT = 3;

    internal const byte RT_SCOPE_NOWHERE = 255;

    internal const byte RTN_UNSPEC = 0;
    internal const byte RTN_UNICAST = 1;
}
