namespace DockerNetPlugin.Ipam;

/// <summary>The address-space names answered to GetDefaultAddressSpaces; both share one cluster-wide pool table.</summary>
public sealed record AddressSpaces(string Local, string Global)
{
    public static AddressSpaces Default { get; } = new("dnp-local", "dnp-global");

    public bool IsKnown(string name) => name == Local || name == Global;
}
