using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Store.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// <see cref="IKvStore"/> over the Consul HTTP API (kv.md §1, mapping in §4.3). Reads use <c>?consistent</c>;
/// every write goes through <c>/v1/txn</c> so the new ModifyIndex comes back atomically; watches are
/// blocking-query loops diffed into events (<see cref="ConsulPrefixWatch"/>); leases are TTL sessions with
/// <c>Behavior=delete</c> (<see cref="ConsulLease"/>).
/// </summary>
public sealed partial class ConsulKvStore : IKvStore
{
    private readonly ConsulHttp _http;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<string, ConsulLease> _leases = new(StringComparer.Ordinal);
    private int _disposeStarted;

    private ConsulKvStore(ConsulOptions options, HttpMessageHandler handler, StoreTlsClient? tls, ILoggerFactory? loggers)
    {
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<ConsulKvStore>();
        _http = new ConsulHttp(options, handler, tls, _logger);
    }

    /// <summary>
    /// Creates the store. Nothing is sent yet: a Consul that is down or has no leader shows up in
    /// <see cref="CheckHealthAsync"/> and as <see cref="StoreUnavailableException"/> from operations, so the host
    /// can wait for it. Bad TLS files fail here.
    /// </summary>
    public static Task<IKvStore> ConnectAsync(ConsulOptions options, ILoggerFactory? loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ct.ThrowIfCancellationRequested();
        var (handler, tls) = ConsulHandlerFactory.Create(options);
        IKvStore store = Create(options, handler, loggers, tls);
        return Task.FromResult(store);
    }

    /// <summary>A store over a given handler (tests inject faults here); <paramref name="tls"/> explains handshake failures.</summary>
    internal static ConsulKvStore Create(ConsulOptions options, HttpMessageHandler handler, ILoggerFactory? loggers, StoreTlsClient? tls = null)
    {
        var store = new ConsulKvStore(options, handler, tls, loggers);
        ConsulLog.Connected(store._logger, store._http.Address, options.Datacenter ?? "(agent default)",
            string.IsNullOrEmpty(options.Token) ? "none" : "set");
        return store;
    }

    public string Description => _http.Options.ToString();

    public async Task<KvEntry?> GetAsync(string key, CancellationToken ct)
    {
        KvRequest.ValidateKey(key);
        var response = await _http.SendAsync(HttpMethod.Get, _http.Url("kv/" + key, ("consistent", null)), null,
            ConsulRetry.Idempotent, $"get of {key}", ct).ConfigureAwait(false);
        if (response.Status == System.Net.HttpStatusCode.NotFound)
            return null;
        var pairs = Parse(response, ConsulJsonContext.Default.ListConsulKvPair, $"get of {key}");
        return pairs?.FirstOrDefault(p => p.Key == key)?.ToEntry();
    }

    public async Task<KvSnapshot> ListAsync(string prefix, CancellationToken ct)
    {
        KvRequest.ValidatePrefix(prefix);
        var (entries, index) = await ListRawAsync(prefix, null, ct).ConfigureAwait(false);
        return new KvSnapshot(entries, Math.Max(index, 1));
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        var existed = await GetAsync(key, ct).ConfigureAwait(false) is not null;
        var response = await _http.SendAsync(HttpMethod.Delete, _http.Url("kv/" + key), null,
            ConsulRetry.Idempotent, $"delete of {key}", ct).ConfigureAwait(false);
        ExpectSuccess(response, $"delete of {key}");
        return existed;
    }

    public async Task<bool> CompareAndDeleteAsync(string key, ulong expectedVersion, CancellationToken ct)
    {
        KvRequest.ValidateCompareAndDelete(key, expectedVersion);
        var what = $"compare-and-delete of {key}";
        var response = await _http.SendAsync(HttpMethod.Delete,
            _http.Url("kv/" + key, ("cas", expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))), null,
            ConsulRetry.UnsafeWrite, what, ct).ConfigureAwait(false);
        ExpectSuccess(response, what);
        return ParseBool(response, what);
    }

    public IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, ulong fromRevision, CancellationToken ct)
    {
        KvRequest.ValidatePrefix(prefix);
        ObjectDisposedException.ThrowIf(_disposeStarted != 0, this);
        // Resuming from a caller's revision is not safe on Consul (missed deletes are invisible): always resync first.
        var watch = new ConsulPrefixWatch(prefix, ListRawAsync, _http.Options, _loggers.CreateLogger<ConsulPrefixWatch>(), TimeProvider.System);
        return watch.RunAsync(ct, _disposed.Token);
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken ct)
    {
        try
        {
            var leader = await _http.SendAsync(HttpMethod.Get, _http.Url("status/leader"), null,
                ConsulRetry.Once, "leader status", ct).ConfigureAwait(false);
            var address = leader.IsSuccess ? Parse(leader, ConsulJsonContext.Default.String, "leader status") : null;
            if (string.IsNullOrEmpty(address))
                return new StoreHealth(false, $"{Description}: no cluster leader");
            // A node may report a leader while KV calls still fail (kv.md §1.10): prove a read works too.
            var probe = await _http.SendAsync(HttpMethod.Get, _http.Url("kv/" + KeyLayout.Root, ("keys", null), ("separator", "/")), null,
                ConsulRetry.Once, "health read", ct).ConfigureAwait(false);
            ExpectSuccessOrNotFound(probe, "health read");
            return new StoreHealth(true, $"{Description}: leader {address}");
        }
        catch (StoreException e)
        {
            return new StoreHealth(false, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
            return;
        await _disposed.CancelAsync().ConfigureAwait(false);
        foreach (var lease in _leases.Values)
            await lease.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _disposed.Dispose();
    }

    /// <summary>One recurse read of a prefix; with <paramref name="index"/> it is a blocking query (kv.md §1.6).</summary>
    internal async Task<(IReadOnlyList<KvEntry> Entries, ulong Index)> ListRawAsync(string prefix, ulong? index, CancellationToken ct)
    {
        var what = $"list of {prefix}";
        ConsulResponse response;
        if (index is { } cursor)
        {
            var wait = _http.Options.WatchWait;
            var url = _http.Url("kv/" + prefix, ("recurse", null),
                ("index", cursor.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("wait", ConsulDuration.Format(wait)));
            // The server adds up to wait/16 of jitter; the attempt timeout must outlast it.
            var timeout = (wait * 17 / 16) + _http.Options.RequestTimeout;
            response = await _http.SendAsync(HttpMethod.Get, url, null, ConsulRetry.Once, "watch " + what, ct, timeout).ConfigureAwait(false);
        }
        else
        {
            response = await _http.SendAsync(HttpMethod.Get, _http.Url("kv/" + prefix, ("recurse", null), ("consistent", null)), null,
                ConsulRetry.Idempotent, what, ct).ConfigureAwait(false);
        }
        ExpectSuccessOrNotFound(response, what);
        var entries = response.Status == System.Net.HttpStatusCode.NotFound
            ? []
            : (Parse(response, ConsulJsonContext.Default.ListConsulKvPair, what) ?? [])
                .Where(p => KvRequest.IsUnder(p.Key, prefix) && p.Key.Length > prefix.Length)
                .Select(p => p.ToEntry())
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
        return (entries, response.Index ?? 0);
    }

    private T? Parse<T>(ConsulResponse response, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type);
        }
        catch (JsonException e)
        {
            throw new StoreException($"Consul at {_http.Address} answered {what} with malformed JSON: {e.Message}", e);
        }
    }

    private bool ParseBool(ConsulResponse response, string what) => response.BodyText.Trim() switch
    {
        "true" => true,
        "false" => false,
        var other => throw new StoreException(_http.Scrub($"Consul at {_http.Address} answered {what} with '{other}' instead of true/false")),
    };

    private void ExpectSuccess(ConsulResponse response, string what)
    {
        if (!response.IsSuccess)
            throw new StoreException(_http.Scrub($"Consul at {_http.Address} answered {what} with {(int)response.Status} {response.BodyText.Trim()}"));
    }

    private void ExpectSuccessOrNotFound(ConsulResponse response, string what)
    {
        if (response.Status != System.Net.HttpStatusCode.NotFound)
            ExpectSuccess(response, what);
    }
}
