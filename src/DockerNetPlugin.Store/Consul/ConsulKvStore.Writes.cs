using System.Net;
using System.Text.Json;

namespace DockerNetPlugin.Store.Consul;

/// <summary>Writes: every one is a <c>/v1/txn</c> so the new ModifyIndex comes back with the commit (kv.md §1.8, §4.3).</summary>
public sealed partial class ConsulKvStore
{
    private const string VerbSet = "set";
    private const string VerbCas = "cas";
    private const string VerbLock = "lock";
    private const string VerbUnlock = "unlock";
    private const string VerbDelete = "delete";
    private const string VerbDeleteCas = "delete-cas";
    private const string VerbCheckIndex = "check-index";
    private const string VerbCheckNotExists = "check-not-exists";

    public async Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct)
    {
        KvRequest.ValidateWrite(key, value);
        var session = SessionOf(lease);
        var ops = new List<ConsulTxnOp> { WriteOp(key, value, null, session) };
        var what = $"put of {key}";
        var outcome = await TxnAsync(ops, ConsulRetry.Idempotent, what, ct).ConfigureAwait(false);
        if (outcome.Errors is { Count: > 0 } errors && session is not null && !IsSessionFailure(errors)
            && await HolderAsync(key, ct).ConfigureAwait(false) is { } holder && holder != session && _leases.ContainsKey(holder))
        {
            // The key is held by another lease of this client (a lease being handed over): move it in one txn.
            ops = [Op(VerbUnlock, key, value.ToArray(), session: holder), WriteOp(key, value, null, session)];
            outcome = await TxnAsync(ops, ConsulRetry.Idempotent, what, ct).ConfigureAwait(false);
        }
        if (outcome.Errors is { Count: > 0 } rejected)
            throw RejectedWrite(session, rejected, what);
        return NewIndexOf(outcome, key, what);
    }

    /// <summary>The session holding <paramref name="key"/> now, if any.</summary>
    private async Task<string?> HolderAsync(string key, CancellationToken ct) => (await GetAsync(key, ct).ConfigureAwait(false))?.LeaseId;

    public async Task<CasResult> CompareAndSetAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, ILease? lease, CancellationToken ct)
    {
        KvRequest.ValidateWrite(key, value);
        var session = SessionOf(lease);
        var ops = new List<ConsulTxnOp>();
        if (session is not null)
            ops.Add(CheckOp(key, expectedVersion));
        ops.Add(WriteOp(key, value, expectedVersion, session));
        var what = $"compare-and-set of {key}";
        var outcome = await TxnAsync(ops, ConsulRetry.UnsafeWrite, what, ct).ConfigureAwait(false);
        if (outcome.Errors is { Count: > 0 } errors)
        {
            if (IsSessionFailure(errors))
                throw RejectedWrite(session, errors, what);
            // Consul's conflict answer carries no entry: read it so callers can re-merge (kv.md §4.6).
            return new CasResult(false, 0, await GetAsync(key, ct).ConfigureAwait(false));
        }
        return new CasResult(true, NewIndexOf(outcome, key, what), null);
    }

    public async Task<bool> CommitAsync(IReadOnlyList<KvOp> ops, CancellationToken ct)
    {
        KvRequest.ValidateOps(ops);
        var txn = new List<ConsulTxnOp>(ops.Count + 4);
        string? anySession = null;
        foreach (var op in ops)
        {
            switch (op)
            {
                case KvSetOp set:
                    var session = SessionOf(set.Lease);
                    anySession ??= session;
                    if (session is not null && set.ExpectedVersion is { } expected)
                        txn.Add(CheckOp(set.Key, expected));
                    txn.Add(WriteOp(set.Key, set.Value, set.ExpectedVersion, session));
                    break;
                case KvDeleteOp { ExpectedVersion: null } delete:
                    txn.Add(Op(VerbDelete, delete.Key));
                    break;
                case KvDeleteOp delete:
                    txn.Add(Op(VerbDeleteCas, delete.Key, index: delete.ExpectedVersion));
                    break;
                case KvCheckOp check:
                    txn.Add(CheckOp(check.Key, check.ExpectedVersion));
                    break;
                default:
                    throw new ArgumentException($"unknown commit operation {op.GetType().Name}", nameof(ops));
            }
        }
        var what = $"commit of {ops.Count} operation(s) starting at {ops[0].Key}";
        var outcome = await TxnAsync(txn, ConsulRetry.UnsafeWrite, what, ct).ConfigureAwait(false);
        if (outcome.Errors is { Count: > 0 } errors)
        {
            if (IsSessionFailure(errors))
                throw RejectedWrite(anySession, errors, what);
            return false;
        }
        return true;
    }

    private async Task<ConsulTxnResponse> TxnAsync(List<ConsulTxnOp> ops, ConsulRetry retry, string what, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(ops, ConsulJsonContext.Default.ListConsulTxnOp);
        var response = await _http.SendAsync(HttpMethod.Put, _http.Url("txn"), body, retry, what, ct).ConfigureAwait(false);
        if (response.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
            ExpectSuccess(response, what);
        var outcome = Parse(response, ConsulJsonContext.Default.ConsulTxnResponse, what)
            ?? throw new StoreException($"Consul at {_http.Address} answered {what} with an empty body");
        if (response.Status == HttpStatusCode.Conflict && outcome.Errors is not { Count: > 0 })
            throw new StoreException($"Consul at {_http.Address} rolled back {what} without saying why");
        return outcome;
    }

    /// <summary>The write of <paramref name="key"/>: set/cas without a lease, lock (after a check op) with one.</summary>
    private static ConsulTxnOp WriteOp(string key, ReadOnlyMemory<byte> value, ulong? expectedVersion, string? session) =>
        session is not null
            ? Op(VerbLock, key, value.ToArray(), session: session)
            : expectedVersion is { } expected
                ? Op(VerbCas, key, value.ToArray(), index: expected)
                : Op(VerbSet, key, value.ToArray());

    /// <summary>Version compare as its own op (0 = must not exist).</summary>
    private static ConsulTxnOp CheckOp(string key, ulong expectedVersion) =>
        expectedVersion == 0 ? Op(VerbCheckNotExists, key) : Op(VerbCheckIndex, key, index: expectedVersion);

    private static ConsulTxnOp Op(string verb, string key, byte[]? value = null, ulong? index = null, string? session = null) =>
        new(new ConsulTxnKvOp(verb, key, value, index, session));

    /// <summary>The last result for the key is the write (a check op before it reports the old index).</summary>
    private ulong NewIndexOf(ConsulTxnResponse outcome, string key, string what) =>
        outcome.Results?.LastOrDefault(r => r.KV?.Key == key)?.KV?.ModifyIndex is { } index and > 0
            ? index
            : throw new StoreException($"Consul at {_http.Address} committed {what} but returned no ModifyIndex for it");

    private static bool IsSessionFailure(List<ConsulTxnError> errors) =>
        errors.Any(e => e.What.Contains("session", StringComparison.OrdinalIgnoreCase));

    private StoreException RejectedWrite(string? session, List<ConsulTxnError> errors, string what)
    {
        var reason = string.Join("; ", errors.Select(e => e.What));
        if (session is not null && IsSessionFailure(errors) && _leases.TryGetValue(session, out var lease))
            lease.MarkLost("a write found the session invalid");
        if (session is not null && IsSessionFailure(errors))
            return new StoreLeaseLostException(_http.Scrub($"Consul at {_http.Address} rolled back {what}: lease {session} is lost ({reason}); grant a new lease and re-create its keys"));
        return new StoreException(_http.Scrub(session is null
            ? $"Consul at {_http.Address} rolled back {what}: {reason}"
            : $"Consul at {_http.Address} rolled back {what} under lease {session}: {reason} (the key is held by another lease)"));
    }

    /// <summary>The session id behind a lease of this store; refuses foreign or lost leases.</summary>
    private string? SessionOf(ILease? lease)
    {
        if (lease is null)
            return null;
        if (lease is not ConsulLease consul || !_leases.ContainsKey(consul.Id))
            throw new ArgumentException($"lease {lease.Id} was not granted by this Consul store (or was disposed)", nameof(lease));
        if (consul.Lost.IsCancellationRequested)
            throw new StoreLeaseLostException($"lease {consul.Id} is lost; grant a new lease and re-create its keys");
        return consul.Id;
    }
}
