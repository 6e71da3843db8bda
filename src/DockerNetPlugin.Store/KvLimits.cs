namespace DockerNetPlugin.Store;

/// <summary>Limits every backend honours (the weakest backend's, kv.md §4.2).</summary>
public static class KvLimits
{
    public const int MaxTransactionOps = 64;
    public const int MaxValueBytes = 400 * 1024;

    /// <summary>Sum of the value bytes of one <see cref="IKvStore.CommitAsync"/> (fits Consul's txn body after base64).</summary>
    public const int MaxTransactionValueBytes = 350 * 1024;
    public static readonly TimeSpan MinLeaseTtl = TimeSpan.FromSeconds(2);
}
