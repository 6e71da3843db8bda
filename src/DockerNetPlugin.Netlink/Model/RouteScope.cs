namespace DockerNetPlugin.Netlink.Model;

/// <summary>rtm_scope values (RT_SCOPE_*).</summary>
public enum RouteScope : byte
{
    /// <summary>Reached through a gateway.</summary>
    Universe = 0,
    Site = 200,

    /// <summary>Directly connected.</summary>
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
