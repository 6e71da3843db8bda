namespace DockerNetPlugin.Ipam;

/// <summary>
/// PoolID = <c>&lt;address space&gt;/&lt;cidr&gt;</c>, e.g. <c>dnp-local/10.30.0.0/24</c>: derived, so every host
/// answers the same id for the same pool. The pool table itself is keyed by CIDR alone.
/// </summary>
internal static class PoolId
{
    public static string Format(string addressSpace, Cidr cidr) => $"{addressSpace}/{cidr}";

    /// <summary>Splits a PoolID; false if it is not one of ours.</summary>
    public static bool TryParse(string? poolId, AddressSpaces spaces, out string addressSpace, out Cidr cidr)
    {
        addressSpace = string.Empty;
        cidr = default;
        if (string.IsNullOrEmpty(poolId))
            return false;
        var slash = poolId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !spaces.IsKnown(poolId[..slash]))
            return false;
        try
        {
            cidr = Cidr.Parse(poolId[(slash + 1)..], "pool id");
        }
        catch (InvalidIpamRequestException)
        {
            return false;
        }
        addressSpace = poolId[..slash];
        return true;
    }
}
