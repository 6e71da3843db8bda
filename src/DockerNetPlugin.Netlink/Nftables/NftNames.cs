namespace DockerNetPlugin.Netlink.Nftables;

/// <summary>Checks table, chain and set names before they reach the kernel, and spells families as nft does.</summary>
internal static class NftNames
{
    /// <summary>Our own limit, far below the kernel's NFT_NAME_MAXLEN (256).</summary>
    internal const int MaxLength = 64;

    internal static string Check(string name, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, what);
        if (name.Length > MaxLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"an nftables {what} name has 1..{MaxLength} characters from [A-Za-z0-9_-]: '{name}'", what);
        }

        return name;
    }

    internal static string Family(NftFamily family) => family switch
    {
        NftFamily.Inet => "inet",
        NftFamily.Ipv4 => "ip",
        NftFamily.Ipv6 => "ip6",
        _ => $"family {(byte)family}",
    };
}
