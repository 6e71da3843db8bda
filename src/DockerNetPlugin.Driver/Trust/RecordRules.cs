using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// The field rules <see cref="RecordValidator"/> applies. Each returns null when the value is acceptable, else the
/// reason, naming the JSON field as it appears in the store so an operator can find it.
/// </summary>
internal static class RecordRules
{
    /// <summary>Ids (Docker ids, logical network names, host ids): what CreateNetwork and the host identity accept.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Free text (names, versions, creators).</summary>
    public const int MaxTextLength = 1024;

    public static string? Id(string? value, string field)
    {
        if (value is null)
            return $"field '{field}' is missing";
        if (value.Length == 0 || value.Length > MaxIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return $"field '{field}' ('{Clip(value)}') is not an id (1-{MaxIdLength} letters, digits, '-', '_' or '.')";
        return null;
    }

    /// <summary>An id that must equal the one the key names (the key is what watches, deletes and ACLs go by).</summary>
    public static string? IdMatchingKey(string? value, string field, string fromKey) =>
        Id(value, field) ?? (value == fromKey ? null : $"field '{field}' ('{Clip(value!)}') differs from the key's '{Clip(fromKey)}'");

    public static string? Text(string? value, string field, int max = MaxTextLength) =>
        value is not null && value.Length > max ? $"field '{field}' is longer than {max} characters" : null;

    /// <summary>A 6-byte unicast MAC that is not all zero (the all-zero MAC is the VXLAN flood entry).</summary>
    public static string? Mac(string? text, string field, out PhysicalAddress mac)
    {
        mac = PhysicalAddress.None;
        if (text is null)
            return $"field '{field}' is missing";
        if (text.Length > 32 || !PhysicalAddress.TryParse(text, out var parsed) || parsed.GetAddressBytes().Length != 6)
            return $"field '{field}' ('{Clip(text)}') is not a 6-byte MAC address";
        var bytes = parsed.GetAddressBytes();
        if (bytes.All(b => b == 0))
            return $"field '{field}' is the all-zero MAC (the VXLAN flood entry), not an endpoint's";
        if ((bytes[0] & 0x01) != 0)
            return $"field '{field}' ('{text}') is a multicast or broadcast MAC, not an endpoint's";
        mac = parsed;
        return null;
    }

    /// <summary>An endpoint address in CIDR form ("10.20.0.2/24") of the given family; absent is fine (null address).</summary>
    public static string? InterfaceAddress(string? text, string field, AddressFamily family, out IPAddress? address)
    {
        address = null;
        if (text is null)
            return null;
        if (text.Length > 64 || !Model.InterfaceAddress.TryParse(text, out var parsed) || parsed.Address.AddressFamily != family)
            return $"field '{field}' ('{Clip(text)}') is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address in CIDR form";
        if (Unusable(parsed.Address) is { } why)
            return $"field '{field}' ({parsed.Address}) is {why}";
        address = parsed.Address;
        return null;
    }

    /// <summary>A VTEP address: a plain unicast IP.</summary>
    public static string? Locator(string? text, string field, out IPAddress? locator)
    {
        locator = null;
        if (text is null)
            return $"field '{field}' is missing";
        if (text.Length > 64 || !IPAddress.TryParse(text, out var parsed) || parsed.ToString().Length == 0 || text.Contains('/', StringComparison.Ordinal))
            return $"field '{field}' ('{Clip(text)}') is not an IP address";
        // Loopback stays allowed: a single host may advertise 127.0.0.1, and a peer's locator must equal its host record's anyway.
        if (Unusable(parsed, allowLoopback: true) is { } why)
            return $"field '{field}' ({parsed}) is {why}";
        locator = parsed;
        return null;
    }

    public static string? Vni(uint vni, string field) =>
        vni is < Cluster.VniAllocator.Min or > Cluster.VniAllocator.Max
            ? $"field '{field}' ({vni}) is outside the VNI range {Cluster.VniAllocator.Min}-{Cluster.VniAllocator.Max}"
            : null;

    /// <summary>A pool in canonical CIDR form: no host bits ("10.30.0.0/24").</summary>
    public static bool TryPool(string? text, out IPNetwork pool)
    {
        pool = default;
        if (text is null || text.Length > 64 || !text.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(text, out var parsed)
            || !IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var given) || !given.Equals(parsed.BaseAddress))
            return false;
        pool = parsed;
        return true;
    }

    /// <summary>See <see cref="KeyLayout.TrySplit"/>.</summary>
    public static string[]? KeySegments(string key, string prefix, int count) => KeyLayout.TrySplit(key, prefix, count);

    /// <summary><see cref="KeyLayout.TryUnescape"/> as a nullable.</summary>
    public static string? TryUnescape(string segment) => KeyLayout.TryUnescape(segment, out var value) ? value : null;

    public static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    private static string? Unusable(IPAddress ip, bool allowLoopback = false)
    {
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            return "the unspecified address";
        if (!allowLoopback && IPAddress.IsLoopback(ip))
            return "a loopback address";
        if (ip.Equals(IPAddress.Broadcast))
            return "the broadcast address";
        if (ip.AddressFamily == AddressFamily.InterNetwork ? ip.GetAddressBytes()[0] is >= 224 and <= 239 : ip.IsIPv6Multicast)
            return "a multicast address";
        return null;
    }

    public static string Invariant(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
