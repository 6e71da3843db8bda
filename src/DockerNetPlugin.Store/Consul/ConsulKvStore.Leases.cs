using Microsoft.Extensions.Logging;
using System.Text.Json;

namespace DockerNetPlugin.Store.Consul;

/// <summary>Leases as TTL-only sessions with <c>Behavior=delete</c> (kv.md §1.9, §4.5).</summary>
public sealed partial class ConsulKvStore
{
    public async Task<ILease> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposeStarted != 0, this);
        var requested = ttl < KvLimits.MinLeaseTtl ? KvLimits.MinLeaseTtl : ttl;
        // Consul may invalidate a session up to 2×TTL after the last renewal: ask for half (as libkv did).
        var sessionTtl = requested / 2 < _http.Options.MinSessionTtl ? _http.Options.MinSessionTtl : requested / 2;
        var ttlText = ConsulDuration.Format(sessionTtl);
        var request = new ConsulSessionRequest(_http.Options.SessionName, ttlText, "delete", "1ms", []);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ConsulJsonContext.Default.ConsulSessionRequest);
        var response = await _http.SendAsync(HttpMethod.Put, _http.Url("session/create"), body,
            ConsulRetry.Idempotent, "session create", ct).ConfigureAwait(false);
        ExpectSuccess(response, "session create");
        var created = Parse(response, ConsulJsonContext.Default.ConsulSessionCreated, "session create");
        if (string.IsNullOrEmpty(created?.Id))
            throw new StoreException($"Consul at {_http.Address} created a session but returned no ID");
        ConsulLog.SessionCreated(_logger, created.Id, ttlText, requested);
        var lease = new ConsulLease(_http, created.Id, sessionTtl, _loggers.CreateLogger<ConsulLease>(), l => _leases.TryRemove(l.Id, out _));
        _leases[lease.Id] = lease;
        lease.Start();
        return lease;
    }
}
