namespace DockerNetPlugin.Store.Consul;

/// <summary>One element of a <c>/v1/txn</c> body: <c>{"KV": {...}}</c> (kv.md §1.8).</summary>
internal sealed record ConsulTxnOp(ConsulTxnKvOp KV);

/// <summary>A KV verb of a transaction. Null fields are left out of the JSON.</summary>
internal sealed record ConsulTxnKvOp(string Verb, string Key, byte[]? Value = null, ulong? Index = null, string? Session = null);
