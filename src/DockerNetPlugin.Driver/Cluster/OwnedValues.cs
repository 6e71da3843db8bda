using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>Compares what this host wrote under its keys with what the store holds there (the lease's keys, the memberships).</summary>
internal static class OwnedValues
{
    /// <summary>Whether <paramref name="stored"/> (null: the key is absent) is not <paramref name="owned"/>.</summary>
    public static bool Differs(ReadOnlyMemory<byte> owned, ReadOnlyMemory<byte>? stored) =>
        stored is not { } bytes || !bytes.Span.SequenceEqual(owned.Span);

    /// <summary>
    /// The physical keys (each owned logical key's <paramref name="targets"/>: where the key layout writes it now) under
    /// <paramref name="prefix"/> that <paramref name="entries"/> (a full read of it) lacks or holds otherwise.
    /// </summary>
    public static List<string> DifferingUnder(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> owned, string prefix, IReadOnlyList<KvEntry> entries,
        Func<string, IReadOnlyList<string>> targets)
    {
        var stored = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var entry in entries)
            stored[entry.Key] = entry.Value;
        return owned.SelectMany(kv => targets(kv.Key).Where(t => t.StartsWith(prefix, StringComparison.Ordinal)
            && Differs(kv.Value, stored.TryGetValue(t, out var bytes) ? bytes : null))).ToList();
    }
}
