namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>A table with the name we would use exists but lacks our marker: it belongs to someone else and is never changed.</summary>
public sealed class NftTableNotOursException : Exception
{
    public NftTableNotOursException()
        : this("an nftables table with our name exists without our marker")
    {
    }

    public NftTableNotOursException(string message)
        : base(message)
    {
    }

    public NftTableNotOursException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
