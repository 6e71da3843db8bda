using System.Globalization;
using System.Net;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Each worker's own subnets, so workers never collide by accident: IPv4 /24s of 10.(64+w).0.0/16 and IPv6 /64s of
/// fd00:f0:w::/48, taken in turn (a /24 comes round again after 256 stories, long after its story ended),
/// plus borderline variants of the next one.
/// </summary>
internal sealed class SubnetPlan(int worker)
{
    private int _next;

    /// <summary>The /16 all of this worker's IPv4 subnets come from (overlaps every one of them).</summary>
    public string Whole => string.Create(CultureInfo.InvariantCulture, $"10.{64 + (worker % 64)}.0.0/16");

    public (string V4, string V6) Next()
    {
        var k = _next++ % 256;
        return (string.Create(CultureInfo.InvariantCulture, $"10.{64 + (worker % 64)}.{k}.0/24"),
                string.Create(CultureInfo.InvariantCulture, $"fd00:f0:{worker:x}:{k:x}::/64"));
    }

    /// <summary>One of this worker's /24s, without taking it from the rotation.</summary>
    public string Any(Random rng) => string.Create(CultureInfo.InvariantCulture, $"10.{64 + (worker % 64)}.{rng.Next(256)}.0/24");

    /// <summary>A borderline IPv4 pool inside <paramref name="v4"/> (a /24): tiny, host bits set, the whole /16, the null pool.</summary>
    public string EdgeV4(Random rng, string v4)
    {
        var baseText = v4[..v4.IndexOf('/', StringComparison.Ordinal)];
        var prefix = baseText[..baseText.LastIndexOf('.')];
        return rng.Next(9) switch
        {
            0 => baseText + "/30",
            1 => baseText + "/31",
            2 => baseText + "/32",
            3 => baseText + "/29",
            4 => Whole,
            5 => prefix + ".1/24",
            6 => "0.0.0.0/0",
            7 => prefix + ".0/33",
            _ => prefix + ".0/8",
        };
    }

    public static string EdgeV6(Random rng, string v6)
    {
        var baseText = v6[..v6.IndexOf('/', StringComparison.Ordinal)];
        return rng.Next(5) switch
        {
            0 => baseText + "/127",
            1 => baseText + "/128",
            2 => baseText + "/120",
            3 => "::/0",
            _ => baseText + "1/64",
        };
    }

    /// <summary>The n-th address of a CIDR (negative: from the end), as text; null when the text is not a CIDR.</summary>
    public static string? Nth(string cidr, long n)
    {
        if (!IPNetwork.TryParse(cidr, out var network))
            return null;
        var bytes = network.BaseAddress.GetAddressBytes();
        var hostBits = (bytes.Length * 8) - network.PrefixLength;
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var size = System.Numerics.BigInteger.One << hostBits;
        var offset = n >= 0 ? new System.Numerics.BigInteger(n) : size + n;
        var result = (value + offset).ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        Array.Copy(result, Math.Max(0, result.Length - bytes.Length), padded, Math.Max(0, bytes.Length - result.Length), Math.Min(result.Length, bytes.Length));
        return new IPAddress(padded).ToString();
    }

    public static int PrefixOf(string cidr) => int.Parse(cidr[(cidr.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
}
