namespace DockerNetPlugin.Store.Consul;

/// <summary>One KV entry as Consul returns it (kv.md §1.2). <c>Value</c> is base64 on the wire and null when empty.</summary>
internal sealed record ConsulKvPair(
    string Key,
    byte[]? Value,
    ulong Flags,
    ulong CreateIndex,
    ulong ModifyIndex,
    ulong LockIndex,
    string? Session)
{
    public KvEntry ToEntry() => new(Key, Value ?? [], ModifyIndex, CreateIndex, Session);
}
