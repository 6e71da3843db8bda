namespace DockerNetPlugin.Store;

/// <summary>
/// Client-side checks every backend runs before it sends or applies anything, so all backends refuse
/// the same inputs with the same exceptions (kv.md §4.9 items 2, 10 and 30).
/// </summary>
internal static class KvRequest
{
    /// <summary>A leaf key: the safe alphabet and no trailing '/'.</summary>
    public static void ValidateKey(string key)
    {
        KeyLayout.Validate(key);
        if (key.EndsWith('/'))
            throw new StoreInvalidKeyException($"store key '{key}' ends in '/': leaf keys never do (prefixes do)");
    }

    /// <summary>A list/watch prefix: the safe alphabet and a trailing '/'.</summary>
    public static void ValidatePrefix(string prefix)
    {
        KeyLayout.Validate(prefix);
        if (!prefix.EndsWith('/'))
            throw new StoreInvalidKeyException($"store prefix '{prefix}' must end in '/' so that 'a/' never matches 'ab/'");
    }

    public static void ValidateValue(string key, ReadOnlyMemory<byte> value)
    {
        if (value.Length > KvLimits.MaxValueBytes)
            throw new StoreTooLargeException($"value of '{key}' is {value.Length} bytes; the limit is {KvLimits.MaxValueBytes} bytes");
    }

    public static void ValidateWrite(string key, ReadOnlyMemory<byte> value)
    {
        ValidateKey(key);
        ValidateValue(key, value);
    }

    public static void ValidateCompareAndDelete(string key, ulong expectedVersion)
    {
        ValidateKey(key);
        if (expectedVersion == 0)
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), $"compare-and-delete of '{key}' needs the version to delete (> 0); 0 means 'absent'");
    }

    /// <summary>At most <see cref="KvLimits.MaxTransactionOps"/> ops, unique valid keys, bounded value bytes.</summary>
    public static void ValidateOps(IReadOnlyList<KvOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count == 0)
            throw new ArgumentException("a commit needs at least one operation", nameof(ops));
        if (ops.Count > KvLimits.MaxTransactionOps)
            throw new StoreTooLargeException($"a commit has {ops.Count} operations; the limit is {KvLimits.MaxTransactionOps}");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        long valueBytes = 0;
        foreach (var op in ops)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(ops));
            ValidateKey(op.Key);
            if (!keys.Add(op.Key))
                throw new ArgumentException($"a commit names key '{op.Key}' twice; every key may appear once", nameof(ops));
            switch (op)
            {
                case KvSetOp set:
                    ValidateValue(set.Key, set.Value);
                    valueBytes += set.Value.Length;
                    break;
                case KvDeleteOp { ExpectedVersion: 0 }:
                    throw new ArgumentException($"delete of '{op.Key}' expects version 0 ('absent'), which can never be deleted", nameof(ops));
                case KvDeleteOp or KvCheckOp:
                    break;
                default:
                    throw new ArgumentException($"unknown operation type {op.GetType().Name} for '{op.Key}'", nameof(ops));
            }
        }
        if (valueBytes > KvLimits.MaxTransactionValueBytes)
            throw new StoreTooLargeException($"a commit carries {valueBytes} value bytes; the limit is {KvLimits.MaxTransactionValueBytes}");
    }

    /// <summary>True when <paramref name="key"/> lies under <paramref name="prefix"/> (which ends in '/').</summary>
    public static bool IsUnder(string key, string prefix) => key.StartsWith(prefix, StringComparison.Ordinal);
}
