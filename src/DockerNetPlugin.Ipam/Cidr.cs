using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Ipam;

/// <summary>A validated network: base address with no host bits, prefix length, family.</summary>
internal readonly record struct Cidr(UInt128 Base, int Prefix, bool V6)
{
    public int Bits => V6 ? 128 : 32;

    public UInt128 HostMask => Bits - Prefix == 128 ? UInt128.MaxValue : (UInt128.One << (Bits - Prefix)) - 1;

    public UInt128 Last => Base | HostMask;

    public IPAddress BaseAddress => IpNumber.ToAddress(Base, V6);

    public bool IsUnspecified => Base == 0;

    public bool Contains(UInt128 address) => address >= Base && address <= Last;

    public bool Contains(Cidr other) => other.V6 == V6 && Contains(other.Base) && Contains(other.Last);

    public bool Overlaps(Cidr other) => other.V6 == V6 && (Contains(other.Base) || other.Contains(Base));

    public IPNetwork ToIPNetwork() => new(BaseAddress, Prefix);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{BaseAddress}/{Prefix}");

    public static Cidr From(IPNetwork network) =>
        new(IpNumber.From(network.BaseAddress), network.PrefixLength, IpNumber.IsV6(network.BaseAddress));

    /// <summary>
    /// Parses <c>A.B.C.D/NN</c> or <c>X::/NN</c> strictly, as Docker's own parser does: host bits set
    /// (<c>10.30.0.1/24</c>) are refused rather than silently normalised.
    /// </summary>
    /// <param name="what">What the text is, for the message ("pool", "--ip-range").</param>
    public static Cidr Parse(string text, string what)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
            throw new InvalidIpamRequestException($"{what} '{text}' is not a CIDR; write it as 10.30.0.0/24 or fd00:1::/64");
        var address = ParseAddress(text[..slash], $"{what} '{text}'");
        var v6 = IpNumber.IsV6(address);
        var bits = v6 ? 128 : 32;
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
            throw new InvalidIpamRequestException($"{what} '{text}' has an invalid prefix length; it must be 0..{bits}");
        var cidr = new Cidr(IpNumber.From(address), prefix, v6);
        if ((cidr.Base & cidr.HostMask) != 0)
        {
            var normal = cidr with { Base = cidr.Base & ~cidr.HostMask };
            throw new InvalidIpamRequestException($"{what} '{text}' has host bits set; did you mean {normal}?");
        }
        return cidr;
    }

    /// <summary>Parses a bare address strictly: dotted quad for IPv4, no zone index.</summary>
    public static IPAddress ParseAddress(string text, string what)
    {
        if (!IPAddress.TryParse(text, out var address) || text.Contains('%', StringComparison.Ordinal))
            throw new InvalidIpamRequestException($"{what}: '{text}' is not an IP address");
        if (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != text)
            throw new InvalidIpamRequestException($"{what}: '{text}' is not a dotted-quad IPv4 address (did you mean {address}?)");
        if (address.IsIPv4MappedToIPv6)
            throw new InvalidIpamRequestException($"{what}: '{text}' is an IPv4-mapped IPv6 address; use the IPv4 form");
        return address;
    }
}
