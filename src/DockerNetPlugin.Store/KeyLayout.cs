using System.Text;

namespace DockerNetPlugin.Store;

/// <summary>
/// The only way store keys are made (kv.md §4.8). A key is segments of <c>[a-z0-9_-]</c> joined by '/'.
/// Variable segments are escaped: <c>[a-z0-9-]</c> stay, every other byte of the UTF-8 form becomes
/// '_' plus two lowercase hex digits, so <c>10.0.0.0/24</c> → <c>10_2e0_2e0_2e0_2f24</c>. The result is valid
/// on every backend and every Consul version, and needs no URL encoding.
/// </summary>
public static class KeyLayout
{
    /// <summary>Every key of this product lives under this root.</summary>
    public const string Root = "dnp/v1";

    /// <summary>Escape one variable segment (an ID, a CIDR, a host name).</summary>
    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Length == 0)
            return "_";
        var sb = new StringBuilder(segment.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(segment))
        {
            var c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
                sb.Append(c);
            else
                sb.Append('_').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Reverse of <see cref="Escape"/>.</summary>
    public static string Unescape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment == "_")
            return string.Empty;
        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '_' && i + 2 < segment.Length)
            {
                bytes.Add(Convert.ToByte(segment.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)segment[i]);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Splits a key under <paramref name="prefix"/> into exactly <paramref name="count"/> escaped segments and unescapes them; null if it is not such a key.</summary>
    public static string[]? TrySplit(string key, string prefix, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var parts = key[prefix.Length..].Split('/');
        if (parts.Length != count)
            return null;
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryUnescape(parts[i], out result[i]))
                return null;
        }
        return result;
    }

    /// <summary>
    /// <see cref="Unescape"/> for segments read back from the store, which anyone may have written: false (never an
    /// exception) unless <paramref name="segment"/> is exactly what <see cref="Escape"/> makes of some value.
    /// </summary>
    public static bool TryUnescape(string segment, out string value)
    {
        value = "";
        if (string.IsNullOrEmpty(segment))
            return false;
        foreach (var c in segment)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
                return false;
        }
        string decoded;
        try
        {
            decoded = Unescape(segment);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
        if (Escape(decoded) != segment)
            return false;
        value = decoded;
        return true;
    }

    /// <summary>A leaf key: <see cref="Root"/> + fixed <paramref name="kind"/> + escaped variable segments.</summary>
    public static string Key(string kind, params string[] segments) => Build(kind, segments, trailingSlash: false);

    /// <summary>A prefix for lists and watches; always ends in '/', so <c>net1/</c> never matches <c>net10/</c>.</summary>
    public static string Prefix(string kind, params string[] segments) => Build(kind, segments, trailingSlash: true);

    /// <summary>The last segment of a key, unescaped.</summary>
    public static string LastSegment(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Unescape(key[(key.LastIndexOf('/') + 1)..]);
    }

    /// <summary>Throws <see cref="StoreInvalidKeyException"/> unless the key (or prefix ending in '/') uses the safe alphabet.</summary>
    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key))
            throw new StoreInvalidKeyException("store key is empty");
        var body = key.EndsWith('/') ? key[..^1] : key;
        foreach (var part in body.Split('/'))
        {
            if (part.Length == 0)
                throw new StoreInvalidKeyException($"store key '{key}' has an empty segment");
            foreach (var c in part)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
                    throw new StoreInvalidKeyException($"store key '{key}' has a character outside [a-z0-9_-]: '{c}'");
            }
        }
    }

    private static string Build(string kind, string[] segments, bool trailingSlash)
    {
        Validate(kind);
        var sb = new StringBuilder(Root).Append('/').Append(kind);
        foreach (var s in segments)
            sb.Append('/').Append(Escape(s));
        if (trailingSlash)
            sb.Append('/');
        return sb.ToString();
    }
}
