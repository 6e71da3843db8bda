namespace DockerNetPlugin.Netlink.Wire;

/// <summary>linux/neighbour.h: NUD_* states (ndm_state).</summary>
internal static class Nud
{
    internal const ushort NUD_INCOMPLETE = 0x01;
    internal const ushort NUD_STALE = 0x04;
    internal const ushort NUD_NOARP = 0x40;
    internal const ushort NUD_PERMANENT = 0x80;
}
