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
        return Keep(created.Id, sessionTtl);
    }

    /// <summary>Renews the session <paramref name="id"/> (404: Consul no longer knows it) and keeps renewing it from now on.</summary>
    public async Task<ILease?> ResumeLeaseAsync(string id, TimeSpan ttl, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ObjectDisposedException.ThrowIf(_disposeStarted != 0, this);
        if (!Guid.TryParse(id, out _))
            return null; // not a session id (say, a lease of another backend)
        var response = await _http.SendAsync(HttpMethod.Put, _http.Url("session/renew/" + id), null,
            ConsulRetry.Idempotent, "session renewal", ct).ConfigureAwait(false);
        if (response.Status == System.Net.HttpStatusCode.NotFound)
            return null;
        ExpectSuccess(response, "session renewal");
        var sessions = Parse(response, ConsulJsonContext.Default.ListConsulSessionInfo, "session renewal");
        if (sessions is not { Count: > 0 })
            return null;
        var requested = ttl < KvLimits.MinLeaseTtl ? KvLimits.MinLeaseTtl : ttl;
        var sessionTtl = ConsulDuration.TryParse(sessions[0].Ttl) ?? requested / 2;
        ConsulLog.SessionResumed(_logger, id, ConsulDuration.Format(sessionTtl));
        return _leases.TryGetValue(id, out var known) ? known : Keep(id, sessionTtl);
    }

    private ConsulLease Keep(string id, TimeSpan sessionTtl)
    {
        var lease = new ConsulLease(_http, id, sessionTtl, _loggers.CreateLogger<ConsulLease>(), l => _leases.TryRemove(l.Id, out _));
        _leases[lease.Id] = lease;
        lease.Start();
        return lease;
    }
}
