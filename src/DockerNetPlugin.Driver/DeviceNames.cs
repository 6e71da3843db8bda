namespace DockerNetPlugin.Driver;

/// <summary>
/// Every kernel device and namespace name the driver makes. Device names are at most 15 bytes and derived
/// from IDs, so a restarted plugin finds what it made before.
/// </summary>
public static class DeviceNames
{
    public const int MaxDeviceName = 15;
    public const string Bridge = "br0";
    public const string Vxlan = "vxlan0";
    private const string ContainerSidePrefix = "dnpc";
    private const string SandboxSidePrefix = "veth";

    /// <summary>
    /// The overlay namespace of a logical network: <c>dnp-&lt;12 chars of its id&gt;</c> for a Docker ID or a short plain
    /// name; a name that would lose characters (<c>prod-net-a</c>, <c>prod-net-b</c>) keeps 6 and adds 6 of its hash.
    /// </summary>
    public static string Sandbox(string logicalNetworkId)
    {
        var fragment = Fragment(logicalNetworkId, 12);
        if (fragment == logicalNetworkId || (logicalNetworkId.Length == 64 && logicalNetworkId.All(char.IsAsciiHexDigitLower)))
            return "dnp-" + fragment;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(logicalNetworkId));
        return "dnp-" + fragment[..Math.Min(6, fragment.Length)] + Convert.ToHexStringLower(hash, 0, 3);
    }

    /// <summary>The vxlan device while it is still in the host namespace: <c>vx-&lt;vni hex&gt;-&lt;id 5&gt;</c>.</summary>
    public static string HostVxlan(uint vni, string logicalNetworkId) => $"vx-{vni:x6}-{Fragment(logicalNetworkId, 5)}";

    /// <summary>The container end of an endpoint's veth, in the host namespace until Docker moves it.</summary>
    public static string ContainerSide(string endpointId) => ContainerSidePrefix + Fragment(endpointId, 11);

    /// <summary>The overlay end of an endpoint's veth, enslaved to br0 inside the overlay namespace.</summary>
    public static string SandboxSide(string endpointId) => SandboxSidePrefix + Fragment(endpointId, 11);

    /// <summary>The container end paired with overlay end <paramref name="sandboxSide"/>; null for a name this driver did not derive.</summary>
    public static string? ContainerSideOf(string sandboxSide)
    {
        ArgumentNullException.ThrowIfNull(sandboxSide);
        return sandboxSide.StartsWith(SandboxSidePrefix, StringComparison.Ordinal) && sandboxSide.Length > SandboxSidePrefix.Length
            ? ContainerSidePrefix + sandboxSide[SandboxSidePrefix.Length..]
            : null;
    }

    private static string Fragment(string id, int length)
    {
        var clean = new string(id.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        if (clean.Length == 0)
            throw new InvalidRequestException($"id '{id}' has no letters or digits");
        return clean.Length <= length ? clean : clean[..length];
    }
}
