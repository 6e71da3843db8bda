using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// One prefix watch over <c>/v3/watch</c> (kv.md §4.4): start with a list unless resuming, stream
/// events from R+1, remember R = the last delivered mod_revision (or a progress header), reconnect
/// with jittered backoff from the same R on any break, and resync from a fresh list when the history
/// was compacted. A break moves the client on to the next member (the one that broke may be dead, cut off, or without a
/// leader; revisions are cluster-wide, so the watch resumes from R+1 there). A slow consumer does not block writers: etcd moves it to its catch-up path and it
/// reads the history at its own pace over the one HTTP stream.
/// </summary>
internal sealed class EtcdPrefixWatch : IAsyncDisposable
{
    private static readonly StoreRetryPolicy s_backoff = new(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.MaxValue);
    private readonly EtcdKvStore _store;
    private readonly EtcdHttp _http;
    private readonly EtcdOptions _options;
    private readonly ILogger _log;
    private readonly string _prefix;
    private readonly byte[] _key;
    private readonly byte[] _rangeEnd;
    private ulong _revision;
    private bool _needResync;
    private int _failures;
    private HttpResponseMessage? _response;
    private Uri? _streamEndpoint;
    private StreamReader? _reader;

    public EtcdPrefixWatch(EtcdKvStore store, EtcdHttp http, EtcdOptions options, ILogger log, string prefix, ulong fromRevision)
    {
        _store = store;
        _http = http;
        _options = options;
        _log = log;
        _prefix = prefix;
        _key = EtcdKeys.Bytes(prefix);
        _rangeEnd = EtcdKeys.PrefixEnd(_key);
        _revision = fromRevision;
        _needResync = fromRevision == 0;
    }

    /// <summary>The next non-empty batch of events to hand out (a resync, or puts and deletes).</summary>
    public async Task<IReadOnlyList<WatchEvent>> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_needResync)
            {
                var snapshot = await ListUntilReachableAsync(ct).ConfigureAwait(false);
                _revision = snapshot.Revision;
                _needResync = false;
                return [new KvResync(snapshot)];
            }
            string? line;
            try
            {
                _reader ??= await OpenAsync(ct).ConfigureAwait(false);
                line = await ReadLineAsync(_reader, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is StoreException or EtcdTransportException or IOException or HttpRequestException or OperationCanceledException)
            {
                await BreakAsync(e is OperationCanceledException ? "no event or progress within the idle timeout" : e.Message, ct).ConfigureAwait(false);
                continue;
            }
            if (line is null)
            {
                await BreakAsync("the server closed the stream", ct).ConfigureAwait(false);
                continue;
            }
            if (line.Length == 0)
                continue;
            var batch = await HandleAsync(line, ct).ConfigureAwait(false);
            if (batch.Count > 0)
                return batch;
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async Task<IReadOnlyList<WatchEvent>> HandleAsync(string line, CancellationToken ct)
    {
        EtcdWatchEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(line, EtcdJsonContext.Default.EtcdWatchEnvelope);
        }
        catch (JsonException e)
        {
            await BreakAsync($"unreadable stream line ({e.Message})", ct).ConfigureAwait(false);
            return [];
        }
        if (envelope?.Error is { } error)
        {
            await BreakAsync($"stream error {error.GrpcCode}: {error.Message}", ct).ConfigureAwait(false);
            return [];
        }
        var result = envelope?.Result;
        if (result is null)
            return [];
        if (result.Canceled)
        {
            if (result.CompactRevision > 0)
            {
                EtcdLog.WatchCompacted(_log, _prefix, result.CompactRevision);
                Close();
                _needResync = true;
                return [];
            }
            if (result.CancelReason?.Contains("auth", StringComparison.OrdinalIgnoreCase) == true)
                _http.InvalidateToken();
            await BreakAsync($"cancelled by the server: {result.CancelReason}", ct).ConfigureAwait(false);
            return [];
        }
        if (result.Created)
        {
            _failures = 0;
            return [];
        }
        if (result.Events is not { Count: > 0 } events)
        {
            // Progress notification: nothing newer than the header for this watch.
            if (result.Header is { Revision: > 0 } header && (ulong)header.Revision > _revision)
                _revision = (ulong)header.Revision;
            return [];
        }
        var batch = new List<WatchEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.Kv is not { } kv)
                continue;
            var revision = (ulong)kv.ModRevision;
            batch.Add(e.Type == "DELETE"
                ? new KvDeleted(Encoding.UTF8.GetString(kv.Key), revision)
                : new KvPut(EtcdKeys.ToEntry(kv), revision));
            if (revision > _revision)
                _revision = revision;
        }
        return batch;
    }

    private async Task<StreamReader> OpenAsync(CancellationToken ct)
    {
        var request = new EtcdWatchRequest
        {
            CreateRequest = new EtcdWatchCreateRequest
            {
                Key = _key,
                RangeEnd = _rangeEnd,
                StartRevision = (long)_revision + 1,
                ProgressNotify = true,
            },
        };
        (_response, _streamEndpoint) = await _http.OpenStreamAsync("/v3/watch", request, EtcdJsonContext.Default.EtcdWatchRequest, ct).ConfigureAwait(false);
        var stream = await _response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return new StreamReader(stream, Encoding.UTF8);
    }

    private async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken ct)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(_options.WatchIdleTimeout);
        return await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
    }

    /// <summary>Lists the prefix, waiting out outages with backoff (the enumeration must survive them).</summary>
    private async Task<KvSnapshot> ListUntilReachableAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var snapshot = await _store.ListAsync(_prefix, ct).ConfigureAwait(false);
                _failures = 0;
                return snapshot;
            }
            catch (StoreUnavailableException e)
            {
                await BackoffAsync(e.Message, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task BreakAsync(string reason, CancellationToken ct)
    {
        if (_streamEndpoint is { } endpoint)
            _http.Failover(endpoint, $"watch on {_prefix}: {reason}");
        Close();
        await BackoffAsync(reason, ct).ConfigureAwait(false);
    }

    private async Task BackoffAsync(string reason, CancellationToken ct)
    {
        _failures++;
        EtcdLog.WatchBroken(_log, _prefix, reason, _revision);
        await Task.Delay(s_backoff.DelayAfter(_failures), ct).ConfigureAwait(false);
    }

    private void Close()
    {
        _reader?.Dispose();
        _reader = null;
        _response?.Dispose();
        _response = null;
        _streamEndpoint = null;
    }
}
