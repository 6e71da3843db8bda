using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>Compares what this host wrote under its keys with what the store holds there (the lease's keys, the memberships).</summary>
internal static class OwnedValues
{
    /// <summary>Whether <paramref name="stored"/> (null: the key is absent) is not <paramref name="owned"/>.</summary>
    public static bool Differs(ReadOnlyMemory<byte> owned, ReadOnlyMemory<byte>? stored) =>
        stored is not { } bytes || !bytes.Span.SequenceEqual(owned.Span);

    /// <summary>The keys of <paramref name="owned"/> under <paramref name="prefix"/> that <paramref name="entries"/> (a full read of it) lacks or holds otherwise.</summary>
    public static List<string> DifferingUnder(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> owned, string prefix, IReadOnlyList<KvEntry> entries)
    {
        var stored = entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return owned.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)
            && Differs(kv.Value, stored.TryGetValue(kv.Key, out var bytes) ? bytes : null)).Select(kv => kv.Key).ToList();
    }
}
