using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Driver.Model;

/// <summary>An interface address with its prefix length, as Docker writes it ("10.20.0.2/24"); host bits allowed.</summary>
public sealed record InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public IPNetwork Network => new(Mask(Address, PrefixLength), PrefixLength);

    /// <summary>Parses "A.B.C.D/NN" or "x::y/NN"; throws <see cref="InvalidRequestException"/> naming <paramref name="what"/>.</summary>
    public static InterfaceAddress Parse(string text, string what)
    {
        if (!TryParse(text, out var value))
            throw new InvalidRequestException($"{what} '{text}' is not an address in CIDR form (for example 10.20.0.2/24)");
        return value;
    }

    public static bool TryParse(string? text, out InterfaceAddress value)
    {
        value = null!;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var ip)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
            return false;
        var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (prefix > max)
            return false;
        value = new InterfaceAddress(ip, prefix);
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static IPAddress Mask(IPAddress ip, int prefix)
    {
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }
        return new IPAddress(bytes);
    }
}
