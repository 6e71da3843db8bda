namespace DockerNetPlugin.Store.Consul;

/// <summary>Answer of <c>/v1/txn</c>: results on 200, errors on 409 (kv.md §1.8).</summary>
internal sealed record ConsulTxnResponse(List<ConsulTxnResult>? Results, List<ConsulTxnError>? Errors);

internal sealed record ConsulTxnResult(ConsulKvPair? KV);

internal sealed record ConsulTxnError(int OpIndex, string What);
