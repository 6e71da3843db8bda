namespace DockerNetPlugin.Dns.Wire;

/// <summary>Reads domain names with compression (RFC 1035 §4.1.4), defending against hostile pointers.</summary>
internal static class DnsName
{
    /// <summary>More jumps than any sane encoder produces for one name (each jump must also go strictly backwards).</summary>
    private const int MaxPointerHops = 32;

    /// <summary>
    /// Reads the name at <paramref name="offset"/> into <paramref name="wire"/> (uncompressed, at most 255 bytes)
    /// and advances <paramref name="offset"/> past the name as it sits in the message.
    /// Every pointer must point strictly before the previous jump target (so no loop and no forward pointer can
    /// be followed), labels are at most 63 bytes, names at most 255, and the extended label types 01/10 are refused.
    /// </summary>
    /// <returns>The uncompressed length written to <paramref name="wire"/>, or -1 when the name is malformed.</returns>
    public static int Read(ReadOnlySpan<byte> message, ref int offset, Span<byte> wire)
    {
        var pos = offset;
        var limit = offset; // every pointer must land strictly below this
        var written = 0;
        var jumped = false;
        var hops = 0;
        while (true)
        {
            if (pos >= message.Length)
            {
                return -1;
            }

            var b = message[pos];
            switch (b & 0xC0)
            {
                case 0x00:
                    if (written + 1 + b > DnsLimits.MaxNameWire || pos + 1 + b > message.Length || wire.Length < written + 1 + b)
                    {
                        return -1;
                    }

                    message.Slice(pos, 1 + b).CopyTo(wire[written..]);
                    written += 1 + b;
                    pos += 1 + b;
                    if (b == 0)
                    {
                        if (!jumped)
                        {
                            offset = pos;
                        }

                        return written;
                    }

                    break;
                case 0xC0:
                    if (pos + 1 >= message.Length || ++hops > MaxPointerHops)
                    {
                        return -1;
                    }

                    var target = ((b & 0x3F) << 8) | message[pos + 1];
                    if (target >= limit)
                    {
                        return -1;
                    }

                    if (!jumped)
                    {
                        offset = pos + 2;
                        jumped = true;
                    }

                    limit = target;
                    pos = target;
                    break;
                default:
                    return -1;
            }
        }
    }

    /// <summary>
    /// The lower-cased dotted text of an uncompressed wire name (no final dot; "" for the root), and whether each
    /// label is printable ASCII without dots or backslashes, so the text names exactly one wire name.
    /// </summary>
    public static string ToText(ReadOnlySpan<byte> wire, out bool isHostname)
    {
        isHostname = true;
        Span<char> text = stackalloc char[DnsLimits.MaxNameWire];
        var length = 0;
        var pos = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            var labelLength = wire[pos];
            if (length > 0)
            {
                text[length++] = '.';
            }

            foreach (var c in wire.Slice(pos + 1, labelLength))
            {
                if (c <= 0x20 || c >= 0x7F || c == (byte)'.' || c == (byte)'\\')
                {
                    isHostname = false;
                }

                text[length++] = c is >= (byte)'A' and <= (byte)'Z' ? (char)(c + 32) : (char)c;
            }

            pos += 1 + labelLength;
        }

        return new string(text[..length]);
    }

    /// <summary>Encodes dotted text (no escapes; a final dot is ignored) as an uncompressed wire name, or null if a label is empty or too long.</summary>
    public static byte[]? FromText(string name)
    {
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length == 0)
        {
            return [0];
        }

        var wire = new byte[trimmed.Length + 2];
        var pos = 0;
        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > DnsLimits.MaxLabel || label.Any(c => c <= ' ' || c >= (char)0x7F))
            {
                return null;
            }

            wire[pos++] = (byte)label.Length;
            foreach (var c in label)
            {
                wire[pos++] = (byte)c;
            }
        }

        wire[pos] = 0;
        return wire.Length > DnsLimits.MaxNameWire ? null : wire;
    }
}
