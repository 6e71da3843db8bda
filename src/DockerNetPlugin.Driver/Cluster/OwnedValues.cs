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

    /// <summary>
    /// Puts one owned record back at <paramref name="physical"/> when the store lacks it or holds something else, and
    /// checks after each write that it still holds: <paramref name="current"/> is asked again, and a newer value (or a
    /// new lease) is written in turn, a release meanwhile deletes the key again. True when it wrote.
    /// Both owners of records use it: the <see cref="LeaseKeeper"/> for its keys, the <see cref="RecordRestorer"/> for
    /// the records it holds without a lease.
    /// </summary>
    public static async Task<bool> PutBackAsync(IKvStore store, string physical, Func<Holding> current, CancellationToken ct)
    {
        var wrote = false;
        var holding = current();
        while (holding.State == HoldingState.Held)
        {
            var stored = await store.GetAsync(physical, ct).ConfigureAwait(false);
            if (!Differs(holding.Value, stored?.Value))
                return wrote;
            await store.PutAsync(physical, holding.Value, holding.Lease, ct).ConfigureAwait(false);
            wrote = true;
            var now = current();
            if (now.State == HoldingState.Released)
            {
                await store.DeleteAsync(physical, ct).ConfigureAwait(false); // released while being put back
                return wrote;
            }
            if (now.State == HoldingState.Held && now.Generation == holding.Generation && now.Value.Span.SequenceEqual(holding.Value.Span))
                return wrote;
            holding = now; // a newer value or a new lease came meanwhile: compare again (or stop)
        }
        return wrote;
    }
}

/// <summary>What <see cref="OwnedValues.PutBackAsync"/> may do with a key now.</summary>
internal enum HoldingState
{
    /// <summary>The owner holds the key: put <see cref="Holding.Value"/> back.</summary>
    Held,

    /// <summary>The owner let the key go: it must not stay in the store.</summary>
    Released,

    /// <summary>Nothing to do now (the lease is lost, or the key layout no longer writes this copy): leave the key as it is.</summary>
    Stopped,
}

/// <summary>An owner's answer for one key: the state, and when held the value and the lease it is written with (and that lease's generation).</summary>
internal readonly record struct Holding(HoldingState State, ReadOnlyMemory<byte> Value = default, ILease? Lease = null, long Generation = 0)
{
    public static Holding Released => new(HoldingState.Released);

    public static Holding Stopped => new(HoldingState.Stopped);
}
