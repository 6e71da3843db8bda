namespace DockerNetPlugin.Store.Local;

/// <summary>One change inside a batch: a put (Value non-null) or a delete (Value null).</summary>
internal sealed record KvMutation(string Key, byte[]? Value, ulong CreateVersion, string? LeaseId)
{
    public static KvMutation Delete(string key) => new(key, null, 0, null);
}

/// <summary>Everything one write committed, at one revision: the unit of the write-ahead log.</summary>
internal sealed record KvBatch(ulong Revision, IReadOnlyList<KvMutation> Mutations);
