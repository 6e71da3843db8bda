namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/rtnetlink.h message types, with names for error texts.</summary>
internal static class Rtm
{
    internal const ushort RTM_NEWLINK = 16;
    internal const ushort RTM_DELLINK = 17;
    internal const ushort RTM_GETLINK = 18;
    internal const ushort RTM_NEWADDR = 20;
    internal const ushort RTM_DELADDR = 21;
    internal const ushort RTM_GETADDR = 22;
    internal const ushort RTM_NEWROUTE = 24;
    internal const ushort RTM_DELROUTE = 25;
    internal const ushort RTM_GETROUTE = 26;
    internal const ushort RTM_NEWNEIGH = 28;
    internal const ushort RTM_DELNEIGH = 29;
    internal const ushort RTM_GETNEIGH = 30;

    internal static string Name(ushort type) => type switch
    {
        RTM_NEWLINK => nameof(RTM_NEWLINK),
        RTM_DELLINK => nameof(RTM_DELLINK),
        RTM_GETLINK => nameof(RTM_GETLINK),
        RTM_NEWADDR => nameof(RTM_NEWADDR),
        RTM_DELADDR => nameof(RTM_DELADDR),
        RTM_GETADDR => nameof(RTM_GETADDR),
        RTM_NEWROUTE => nameof(RTM_NEWROUTE),
        RTM_DELROUTE => nameof(RTM_DELROUTE),
        RTM_GETROUTE => nameof(RTM_GETROUTE),
        RTM_NEWNEIGH => nameof(RTM_NEWNEIGH),
        RTM_DELNEIGH => nameof(RTM_DELNEIGH),
        RTM_GETNEIGH => nameof(RTM_GETNEIGH),
        _ => $"RTM_{type}",
    };
}
