namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// Whether a compare-and-set transaction whose answer was lost took effect: its request may have reached a member that
/// then died or timed out (a leader killed mid-write), so the client reads the keys it writes back on the member it
/// failed over to. Only a write that carries this client's lease can be recognised as ours: the lease ID is unique to
/// its grant, so every put there with our value and lease, one revision, past its compare (and every delete gone)
/// means it was applied. A write without a lease is never inferred (another client may have written the same bytes:
/// two winners); nor is anything else. Then the caller sends the transaction once more and its compares decide: if the
/// first attempt took effect after all, the second is refused (a conflict whose current value is our own), never a
/// second winner.
/// </summary>
internal static class EtcdTxnOutcome
{
    /// <summary>A read-only transaction: one range per key that <paramref name="txn"/> writes, in the same order.</summary>
    public static EtcdTxnRequest ReadBack(EtcdTxnRequest txn) => new()
    {
        Success = [.. txn.Success.Select(op => new EtcdRequestOp { RequestRange = new EtcdRangeRequest { Key = KeyOf(op) } })],
    };

    /// <summary>The revision at which <paramref name="txn"/> took effect, or null when <paramref name="readBack"/> does not show it.</summary>
    public static long? AppliedAt(EtcdTxnRequest txn, EtcdTxnResponse readBack)
    {
        if (!txn.Success.Any(op => op.RequestPut is not null) || txn.Success.Any(op => op.RequestPut is { Lease: null or 0 })
            || readBack.Responses is not { } responses || responses.Count != txn.Success.Count)
            return null;
        long? revision = null;
        for (var i = 0; i < txn.Success.Count; i++)
        {
            var op = txn.Success[i];
            var kv = responses[i].ResponseRange?.Kvs is [var found, ..] ? found : null;
            if (op.RequestDeleteRange is not null)
            {
                if (kv is not null)
                    return null;
                continue;
            }
            if (op.RequestPut is not { } put || kv is null || !(kv.Value ?? []).AsSpan().SequenceEqual(put.Value) || kv.Lease != (put.Lease ?? 0))
                return null;
            if ((revision is { } r && r != kv.ModRevision) || !MovedPastCompare(txn, put.Key, kv))
                return null;
            revision = kv.ModRevision;
        }
        return revision;
    }

    /// <summary>The key no longer matches the compare on it (it was written since), so the value there is new.</summary>
    private static bool MovedPastCompare(EtcdTxnRequest txn, byte[] key, EtcdKeyValue kv) =>
        txn.Compare.FirstOrDefault(c => c.Key.AsSpan().SequenceEqual(key)) is not { } compare
        || (compare.CreateRevision is not null ? kv.CreateRevision != compare.CreateRevision : kv.ModRevision != compare.ModRevision);

    private static byte[] KeyOf(EtcdRequestOp op) =>
        op.RequestPut?.Key ?? op.RequestDeleteRange?.Key ?? op.RequestRange?.Key ?? throw new InvalidOperationException("a transaction op without a key");
}
