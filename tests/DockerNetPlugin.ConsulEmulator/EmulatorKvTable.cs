namespace DockerNetPlugin.Emulators.Consul;

/// <summary>
/// The emulator's KV table: entries, tombstones (so prefix queries see deletions in their index) and lock delays.
/// A transaction runs on a <see cref="Clone"/> and replaces the table only when every op succeeded.
/// </summary>
internal sealed class EmulatorKvTable
{
    public SortedDictionary<string, EmulatedEntry> Entries { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Key → index of its deletion.</summary>
    public Dictionary<string, ulong> Tombstones { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Key → Stopwatch timestamp until which the key cannot be acquired.</summary>
    public Dictionary<string, long> LockDelayUntil { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Highest index of any KV write or deletion (what Consul answers for a missing key).</summary>
    public ulong TableIndex { get; set; }

    public EmulatorKvTable Clone() => new()
    {
        Entries = new SortedDictionary<string, EmulatedEntry>(Entries, StringComparer.Ordinal),
        Tombstones = new Dictionary<string, ulong>(Tombstones, StringComparer.Ordinal),
        LockDelayUntil = new Dictionary<string, long>(LockDelayUntil, StringComparer.Ordinal),
        TableIndex = TableIndex,
    };

    /// <summary>Index of a prefix query: newest write or deletion under it, else the table index (kv.md §1.2).</summary>
    public ulong PrefixIndex(string prefix)
    {
        ulong max = 0;
        foreach (var e in Entries.Values)
            if (e.Key.StartsWith(prefix, StringComparison.Ordinal))
                max = Math.Max(max, e.ModifyIndex);
        foreach (var (key, index) in Tombstones)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                max = Math.Max(max, index);
        return max == 0 ? TableIndex : max;
    }

    public void Remove(string key, ulong index)
    {
        if (Entries.Remove(key))
        {
            Tombstones[key] = index;
            TableIndex = Math.Max(TableIndex, index);
        }
    }

    public void Write(EmulatedEntry entry)
    {
        Entries[entry.Key] = entry;
        Tombstones.Remove(entry.Key);
        TableIndex = Math.Max(TableIndex, entry.ModifyIndex);
    }
}
