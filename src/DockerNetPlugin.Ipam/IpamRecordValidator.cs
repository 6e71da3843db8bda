using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Ipam;

/// <summary>A validated <c>ipam/addr/…</c> entry: the address (as a number in its pool) and its record.</summary>
internal sealed record StoredAddress(UInt128 Number, AddressRecord Record);

/// <summary>
/// Checks the IPAM records every host reads (pools, the pool index, taken addresses) before use, the way the
/// driver's RecordValidator checks its own: never throws, returns the record or the reason. Other versions'
/// records: unknown fields are ignored; a missing descriptive field (options, creator, time) gets its default;
/// an unknown address kind is read as "endpoint" (the address stays taken); a missing field allocation depends on
/// (CIDR, generation, holders, owner host) makes the record invalid.
/// </summary>
internal static class IpamRecordValidator
{
    public const int MaxRecordBytes = KvLimits.MaxValueBytes; // whatever the IPAM could store, it must be able to read back
    public const int MaxIndexEntries = 4096;

    private static readonly string s_poolsPrefix = IpamKeys.PoolsPrefix;
    private static readonly string s_addrPrefix = KeyLayout.Prefix("ipam", "addr");

    /// <summary>An <c>ipam/pools/&lt;cidr&gt;</c> record: its CIDR equal to the key's, sub-pool and gateway inside it.</summary>
    public static RecordCheck<PoolRecord> Pool(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Segments(entry.Key, s_poolsPrefix, 1) is not [var keyCidr] || TryCidr(keyCidr) is not { } cidr || cidr.ToString() != keyCidr)
            return RecordCheck<PoolRecord>.Fail(entry.Key, "the key is not ipam/pools/<cidr> in the store's escaped form");
        if (Decode(entry, IpamJsonContext.Default.PoolRecord, out var r) is { } bad)
            return RecordCheck<PoolRecord>.Fail(entry.Key, bad);
        string? why = null;
        if (r.Cidr != keyCidr)
            why = r.Cidr is null ? "field 'cidr' is missing" : $"field 'cidr' ({Clip(r.Cidr)}) differs from the key's {keyCidr}";
        else if (r.V6 != cidr.V6)
            why = $"field 'v6' ({r.V6}) does not match {cidr}";
        else if (string.IsNullOrEmpty(r.AddressSpace) || r.AddressSpace.Length > 255)
            why = "field 'addressSpace' is missing or longer than 255 characters";
        else if (string.IsNullOrEmpty(r.Generation) || r.Generation.Length > 64 || !r.Generation.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
            why = "field 'generation' is missing or not 1-64 lowercase letters and digits";
        else if (r.Holders is null || r.Holders.Any(h => string.IsNullOrEmpty(h.Key) || h.Value < 0))
            why = "field 'holders' is missing or has an empty host or a negative count";
        else if (r.SubPool is not null && (TryCidr(r.SubPool) is not { } sub || !cidr.Contains(sub)))
            why = $"field 'subPool' ({Clip(r.SubPool)}) is not a CIDR inside {cidr}";
        else if (r.Gateway is not null && (TryAddress(r.Gateway) is not { } gw || gw.V6 != cidr.V6 || !cidr.Contains(gw.Number)))
            why = $"field 'gateway' ({Clip(r.Gateway)}) is not an address inside {cidr}";
        return why is not null
            ? RecordCheck<PoolRecord>.Fail(entry.Key, why)
            : RecordCheck<PoolRecord>.Valid(r with { Options = r.Options ?? [], CreatedBy = r.CreatedBy ?? "" });
    }

    /// <summary>The <c>ipam/index</c> record: every entry a canonical CIDR.</summary>
    public static RecordCheck<PoolIndexRecord> Index(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Key != IpamKeys.Index)
            return RecordCheck<PoolIndexRecord>.Fail(entry.Key, $"the key is not {IpamKeys.Index}");
        if (Decode(entry, IpamJsonContext.Default.PoolIndexRecord, out var r) is { } bad)
            return RecordCheck<PoolIndexRecord>.Fail(entry.Key, bad);
        if (r.Cidrs is null || r.Cidrs.Count > MaxIndexEntries)
            return RecordCheck<PoolIndexRecord>.Fail(entry.Key, $"field 'cidrs' is missing or has more than {MaxIndexEntries} entries");
        var wrong = r.Cidrs.FirstOrDefault(c => c is null || TryCidr(c) is not { } parsed || parsed.ToString() != c);
        return wrong is null && !r.Cidrs.Contains(null!)
            ? RecordCheck<PoolIndexRecord>.Valid(r)
            : RecordCheck<PoolIndexRecord>.Fail(entry.Key, $"field 'cidrs' has an entry that is not a canonical CIDR ('{Clip(wrong ?? "null")}')");
    }

    /// <summary>
    /// The address an <c>ipam/addr/&lt;cidr&gt;/&lt;generation&gt;/&lt;ip&gt;</c> key names, when it is one of
    /// <paramref name="cidr"/>'s addresses in that generation; null for any other key (skip it, report it).
    /// Allocation needs only this: a taken address stays taken whatever its record holds.
    /// </summary>
    public static UInt128? AddressKey(string key, Cidr cidr, string generation)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Segments(key, s_addrPrefix, 3) is not [var keyCidr, var keyGeneration, var ip] || keyCidr != cidr.ToString() || keyGeneration != generation)
            return null;
        return TryAddress(ip) is { } address && address.V6 == cidr.V6 && cidr.Contains(address.Number) ? address.Number : null;
    }

    /// <summary>An address record of <paramref name="cidr"/>'s generation <paramref name="generation"/>: key and body.</summary>
    public static RecordCheck<StoredAddress> Address(KvEntry entry, Cidr cidr, string generation)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (AddressKey(entry.Key, cidr, generation) is not { } number)
            return RecordCheck<StoredAddress>.Fail(entry.Key, $"the key is not ipam/addr/{cidr}/{generation}/<address inside {cidr}>");
        if (Decode(entry, IpamJsonContext.Default.AddressRecord, out var r) is { } bad)
            return RecordCheck<StoredAddress>.Fail(entry.Key, bad);
        if (string.IsNullOrEmpty(r.Host) || r.Host.Length > 128)
            return RecordCheck<StoredAddress>.Fail(entry.Key, "field 'host' is missing or longer than 128 characters");
        return RecordCheck<StoredAddress>.Valid(new StoredAddress(number, r with { Kind = r.Kind ?? "endpoint", Options = r.Options ?? [] }));
    }

    private static string? Decode<T>(KvEntry entry, JsonTypeInfo<T> type, out T value) where T : class
    {
        value = null!;
        if (entry.Value.Length is 0 or > MaxRecordBytes)
            return $"the value is {entry.Value.Length} bytes; an IPAM record is 1-{MaxRecordBytes}";
        T? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize(entry.Value.Span, type);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return $"the value is not a valid {typeof(T).Name} JSON object: {Clip(e.Message)}";
        }
        if (decoded is null)
            return "the value is JSON null";
        value = decoded;
        return null;
    }

    private static string[]? Segments(string key, string prefix, int count) => KeyLayout.TrySplit(key, prefix, count);

    private static Cidr? TryCidr(string text)
    {
        try
        {
            return Cidr.Parse(text, "stored CIDR");
        }
        catch (IpamException)
        {
            return null;
        }
    }

    private static (UInt128 Number, bool V6)? TryAddress(string text)
    {
        try
        {
            var address = Cidr.ParseAddress(text, "stored address");
            return (IpNumber.From(address), IpNumber.IsV6(address));
        }
        catch (IpamException)
        {
            return null;
        }
    }

    private static string Clip(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
