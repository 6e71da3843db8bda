using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// etcd v3 (3.4+) through its JSON gateway (kv.md §2, mapping §4.3): versions are mod_revisions,
/// CAS and commit are txns (the new version is the txn header revision; a conflict returns the
/// current entry from the failure branch), watches stream <c>/v3/watch</c>, leases are etcd leases.
/// </summary>
public sealed class EtcdKvStore : IKvStore
{
    private const string Mod = "MOD";
    private const string Create = "CREATE";
    private readonly EtcdOptions _options;
    private readonly EtcdHttp _http;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _closing = new();
    private readonly List<EtcdLease> _leases = [];

    private EtcdKvStore(EtcdOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _loggers = loggers;
        _log = loggers.CreateLogger<EtcdKvStore>();
        _http = new EtcdHttp(options, _log);
    }

    public string Description => _options.ToString();

    /// <summary>Creates the client. No request is made: an unreachable cluster shows in the first call or <see cref="CheckHealthAsync"/>.</summary>
    public static Task<EtcdKvStore> ConnectAsync(EtcdOptions options, ILoggerFactory? loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoints is not { Count: > 0 })
            throw new StoreException("etcd needs at least one endpoint, e.g. etcd://127.0.0.1:2379");
        ct.ThrowIfCancellationRequested();
        var store = new EtcdKvStore(options, loggers ?? NullLoggerFactory.Instance);
        EtcdLog.Connecting(store._log, store.Description);
        return Task.FromResult(store);
    }

    public async Task<KvEntry?> GetAsync(string key, CancellationToken ct)
    {
        KvRequest.ValidateKey(key);
        var response = await CallAsync("/v3/kv/range", new EtcdRangeRequest { Key = EtcdKeys.Bytes(key) },
            EtcdJsonContext.Default.EtcdRangeRequest, EtcdJsonContext.Default.EtcdRangeResponse, EtcdRetryMode.Idempotent, ct).ConfigureAwait(false);
        return response.Kvs is [var kv, ..] ? EtcdKeys.ToEntry(kv) : null;
    }

    public async Task<KvSnapshot> ListAsync(string prefix, CancellationToken ct)
    {
        KvRequest.ValidatePrefix(prefix);
        var key = EtcdKeys.Bytes(prefix);
        var response = await CallAsync("/v3/kv/range", new EtcdRangeRequest { Key = key, RangeEnd = EtcdKeys.PrefixEnd(key) },
            EtcdJsonContext.Default.EtcdRangeRequest, EtcdJsonContext.Default.EtcdRangeResponse, EtcdRetryMode.Idempotent, ct).ConfigureAwait(false);
        var entries = (response.Kvs ?? []).Select(EtcdKeys.ToEntry).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        return new KvSnapshot(entries, Revision(response.Header));
    }

    public async Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ILease? lease, CancellationToken ct)
    {
        KvRequest.ValidateWrite(key, value);
        var response = await CallAsync("/v3/kv/put", PutRequest(key, value, lease),
            EtcdJsonContext.Default.EtcdPutRequest, EtcdJsonContext.Default.EtcdPutResponse, EtcdRetryMode.Idempotent, ct).ConfigureAwait(false);
        return Revision(response.Header);
    }

    public async Task<CasResult> CompareAndSetAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, ILease? lease, CancellationToken ct)
    {
        KvRequest.ValidateWrite(key, value);
        var keyBytes = EtcdKeys.Bytes(key);
        var txn = new EtcdTxnRequest
        {
            Compare = [VersionCompare(keyBytes, expectedVersion)],
            Success = [new EtcdRequestOp { RequestPut = PutRequest(key, value, lease) }],
            Failure = [new EtcdRequestOp { RequestRange = new EtcdRangeRequest { Key = keyBytes } }],
        };
        var response = await TxnAsync(txn, ct).ConfigureAwait(false);
        if (response.Succeeded)
            return new CasResult(true, Revision(response.Header), null);
        var current = response.Responses is [{ ResponseRange.Kvs: [var kv, ..] }, ..] ? EtcdKeys.ToEntry(kv) : null;
        return new CasResult(false, 0, current);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        KvRequest.ValidateKey(key);
        var response = await CallAsync("/v3/kv/deleterange", new EtcdDeleteRangeRequest { Key = EtcdKeys.Bytes(key) },
            EtcdJsonContext.Default.EtcdDeleteRangeRequest, EtcdJsonContext.Default.EtcdDeleteRangeResponse, EtcdRetryMode.Idempotent, ct).ConfigureAwait(false);
        return response.Deleted > 0;
    }

    public async Task<bool> CompareAndDeleteAsync(string key, ulong expectedVersion, CancellationToken ct)
    {
        KvRequest.ValidateCompareAndDelete(key, expectedVersion);
        var keyBytes = EtcdKeys.Bytes(key);
        var txn = new EtcdTxnRequest
        {
            Compare = [VersionCompare(keyBytes, expectedVersion)],
            Success = [new EtcdRequestOp { RequestDeleteRange = new EtcdDeleteRangeRequest { Key = keyBytes } }],
        };
        return (await TxnAsync(txn, ct).ConfigureAwait(false)).Succeeded;
    }

    public async Task<bool> CommitAsync(IReadOnlyList<KvOp> ops, CancellationToken ct)
    {
        KvRequest.ValidateOps(ops);
        var txn = new EtcdTxnRequest();
        foreach (var op in ops)
        {
            var key = EtcdKeys.Bytes(op.Key);
            switch (op)
            {
                case KvSetOp set:
                    if (set.ExpectedVersion is { } sv)
                        txn.Compare.Add(VersionCompare(key, sv));
                    txn.Success.Add(new EtcdRequestOp { RequestPut = PutRequest(set.Key, set.Value, set.Lease) });
                    break;
                case KvDeleteOp del:
                    if (del.ExpectedVersion is { } dv)
                        txn.Compare.Add(VersionCompare(key, dv));
                    txn.Success.Add(new EtcdRequestOp { RequestDeleteRange = new EtcdDeleteRangeRequest { Key = key } });
                    break;
                case KvCheckOp check:
                    txn.Compare.Add(VersionCompare(key, check.ExpectedVersion));
                    break;
            }
        }
        return (await TxnAsync(txn, ct).ConfigureAwait(false)).Succeeded;
    }

    public async IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, ulong fromRevision, [EnumeratorCancellation] CancellationToken ct)
    {
        KvRequest.ValidatePrefix(prefix);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
        await using var watch = new EtcdPrefixWatch(this, _http, _options, _log, prefix, fromRevision);
        while (true)
        {
            IReadOnlyList<WatchEvent> batch;
            try
            {
                batch = await watch.NextAsync(both.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                yield break;
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(EtcdKvStore), $"{Description} was closed while watching '{prefix}'");
            }
            foreach (var e in batch)
                yield return e;
        }
    }

    /// <summary>Grants an etcd lease (whole seconds, at least <see cref="KvLimits.MinLeaseTtl"/>; the server may raise it) and keeps it alive.</summary>
    public async Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
        var seconds = (long)Math.Ceiling(Math.Max(ttl.TotalSeconds, KvLimits.MinLeaseTtl.TotalSeconds));
        var response = await CallAsync("/v3/lease/grant", new EtcdLeaseGrantRequest { Ttl = seconds },
            EtcdJsonContext.Default.EtcdLeaseGrantRequest, EtcdJsonContext.Default.EtcdLeaseResponse, EtcdRetryMode.Idempotent, ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(response.Error) || response.Id == 0)
            throw new StoreException($"{Description} refused a {seconds} s lease: {response.Error}");
        var lease = new EtcdLease(this, response.Id, TimeSpan.FromSeconds(Math.Max(response.Ttl, seconds)), _loggers.CreateLogger<EtcdLease>());
        lock (_leases)
            _leases.Add(lease);
        return lease;
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken ct)
    {
        try
        {
            var status = await CallAsync("/v3/maintenance/status", new EtcdStatusRequest(),
                EtcdJsonContext.Default.EtcdStatusRequest, EtcdJsonContext.Default.EtcdStatusResponse, EtcdRetryMode.Once, ct).ConfigureAwait(false);
            if (status.Leader == 0)
                return new StoreHealth(false, $"{Description} has no leader");
            if (status.Errors is { Count: > 0 } alarms)
                return new StoreHealth(false, $"{Description} reports {string.Join("; ", alarms)}");
            return new StoreHealth(true, $"{Description}: etcd {status.Version}, revision {Revision(status.Header)}");
        }
        catch (StoreException e)
        {
            return new StoreHealth(false, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
            return;
        await _closing.CancelAsync().ConfigureAwait(false);
        EtcdLease[] leases;
        lock (_leases)
            leases = [.. _leases];
        // Leases are not revoked here: their owners revoke on clean shutdown; otherwise they expire by TTL.
        foreach (var lease in leases)
            lease.StopKeepAlive();
        _http.Dispose();
    }

    /// <summary>Drops a disposed lease from the set the store stops at shutdown.</summary>
    internal void Forget(EtcdLease lease)
    {
        lock (_leases)
            _leases.Remove(lease);
    }

    /// <summary>One keepalive, bounded by <paramref name="timeout"/>; returns the remaining TTL in seconds (0 = the lease is gone).</summary>
    internal async Task<long> KeepAliveOnceAsync(long leaseId, TimeSpan timeout, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
        var endpoint = _http.CurrentEndpoint;
        var envelope = await _http.CallAsync("/v3/lease/keepalive", new EtcdLeaseIdRequest { Id = leaseId },
            EtcdJsonContext.Default.EtcdLeaseIdRequest, EtcdJsonContext.Default.EtcdLeaseKeepAliveEnvelope, EtcdRetryMode.Once, ct,
            timeout < _options.RequestTimeout ? timeout : _options.RequestTimeout).ConfigureAwait(false);
        if (envelope.Error is { } error)
        {
            // The stream answered with an error (no leader, say): the next keepalive asks another member.
            _http.Failover(endpoint, $"keepalive: {error.Message}");
            throw new StoreUnavailableException($"{Description} keepalive failed: {error.Message}");
        }
        return envelope.Result?.Ttl ?? 0;
    }

    /// <summary>Revokes a lease (all its keys vanish in one revision); an unknown lease is fine.</summary>
    internal async Task RevokeAsync(long leaseId, CancellationToken ct)
    {
        try
        {
            await CallAsync("/v3/lease/revoke", new EtcdLeaseIdRequest { Id = leaseId },
                EtcdJsonContext.Default.EtcdLeaseIdRequest, EtcdJsonContext.Default.EtcdLeaseResponse, EtcdRetryMode.Idempotent, ct).ConfigureAwait(false);
        }
        catch (StoreLeaseLostException)
        {
            // Already gone.
        }
    }

    /// <summary>Test and operator hook: compacts the history up to <paramref name="revision"/>.</summary>
    internal Task CompactAsync(ulong revision, CancellationToken ct) =>
        CallAsync("/v3/kv/compaction", new EtcdCompactionRequest { Revision = (long)revision, Physical = true },
            EtcdJsonContext.Default.EtcdCompactionRequest, EtcdJsonContext.Default.EtcdPutResponse, EtcdRetryMode.Idempotent, ct);

    /// <summary>
    /// A compare-and-set transaction. When its answer is lost after it may have reached a member (the member died or
    /// timed out), the keys it writes are read back on the next member: a leased write found applied is a success;
    /// otherwise it is sent once more and its compares decide (<see cref="EtcdTxnOutcome"/>). A leader killed mid-write
    /// then costs no failed call, and compare-and-set stays exclusive.
    /// </summary>
    private async Task<EtcdTxnResponse> TxnAsync(EtcdTxnRequest txn, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            return await SendTxnAsync(txn, EtcdRetryMode.UnsentOnly, ct).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (EtcdHttp.MayHaveApplied(e) && txn.Success.Count > 0 && clock.Elapsed < _options.Retry.Budget)
        {
            // Resolving must not make the call take longer than the retry budget: a silent cluster fails as fast as before.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(_options.Retry.Budget - clock.Elapsed);
            try
            {
                var readBack = await SendTxnAsync(EtcdTxnOutcome.ReadBack(txn), EtcdRetryMode.Idempotent, budget.Token).ConfigureAwait(false);
                var applied = EtcdTxnOutcome.AppliedAt(txn, readBack);
                EtcdLog.TxnOutcomeResolved(_log, applied is not null, e.Message);
                if (applied is { } revision)
                    return new EtcdTxnResponse { Succeeded = true, Header = new EtcdResponseHeader { Revision = revision } };
                return await SendTxnAsync(txn, EtcdRetryMode.UnsentOnly, budget.Token).ConfigureAwait(false);
            }
            catch (Exception again) when (again is StoreUnavailableException || (again is OperationCanceledException && !ct.IsCancellationRequested))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                throw;
            }
        }
    }

    private Task<EtcdTxnResponse> SendTxnAsync(EtcdTxnRequest txn, EtcdRetryMode mode, CancellationToken ct) =>
        CallAsync("/v3/kv/txn", txn, EtcdJsonContext.Default.EtcdTxnRequest, EtcdJsonContext.Default.EtcdTxnResponse, mode, ct);

    private Task<TResponse> CallAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, EtcdRetryMode mode, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
        return _http.CallAsync(path, body, requestType, responseType, mode, ct);
    }

    private EtcdPutRequest PutRequest(string key, ReadOnlyMemory<byte> value, ILease? lease) => new()
    {
        Key = EtcdKeys.Bytes(key),
        Value = value.ToArray(),
        Lease = lease switch
        {
            null => null,
            EtcdLease l when ReferenceEquals(l.Store, this) => l.NumericId,
            _ => throw new ArgumentException($"lease {lease.Id} was not granted by {Description}", nameof(lease)),
        },
    };

    /// <summary>Version 0 = "must not exist" (create_revision == 0); otherwise mod_revision must match.</summary>
    private static EtcdCompare VersionCompare(byte[] key, ulong expected) => expected == 0
        ? new EtcdCompare { Key = key, Target = Create, CreateRevision = 0 }
        : new EtcdCompare { Key = key, Target = Mod, ModRevision = (long)expected };

    private static ulong Revision(EtcdResponseHeader? header) => (ulong)(header?.Revision ?? 0);
}
