namespace DockerNetPlugin.Store;

/// <summary>Limits every backend honours (the weakest backend's, kv.md §4.2).</summary>
public static class KvLimits
{
    public const int MaxTransactionOps = 64;
    public const int MaxValueBytes = 400 * 1024;
    public static readonly TimeSpan MinLeaseTtl = TimeSpan.FromSeconds(2);
}
