using System.Globalization;
using System.Net;

namespace DockerNetPlugin.Dns;

/// <summary>Reverse-lookup names: <c>d.c.b.a.in-addr.arpa</c> and the 32-nibble <c>ip6.arpa</c> form (RFC 3596 §2.5).</summary>
internal static class ReverseName
{
    private const string V4Suffix = ".in-addr.arpa";
    private const string V6Suffix = ".ip6.arpa";

    /// <summary>The address a lower-cased reverse name stands for, or false when it is not a complete reverse name.</summary>
    public static bool TryParse(string name, out IPAddress? address)
    {
        address = null;
        if (name.EndsWith(V4Suffix, StringComparison.Ordinal))
        {
            var parts = name[..^V4Suffix.Length].Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                var part = parts[3 - i];
                if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') ||
                    !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return false;
                }
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (name.EndsWith(V6Suffix, StringComparison.Ordinal))
        {
            var nibbles = name[..^V6Suffix.Length].Split('.');
            if (nibbles.Length != 32)
            {
                return false;
            }

            var bytes = new byte[16];
            for (var i = 0; i < 32; i++)
            {
                var nibble = nibbles[31 - i];
                if (nibble.Length != 1 || !Uri.IsHexDigit(nibble[0]))
                {
                    return false;
                }

                var value = Convert.ToByte(nibble, 16);
                bytes[i / 2] |= (byte)(i % 2 == 0 ? value << 4 : value);
            }

            address = new IPAddress(bytes);
            return true;
        }

        return false;
    }
}
