using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Store.Tls;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// The one HTTP client of an etcd store: POSTs JSON to the gateway of the current endpoint, fails
/// over to the next endpoint when a member cannot serve (no answer, no leader, an internal error), keeps the auth
/// token (re-authenticating once when it expires), maps gateway errors to store exceptions (kv.md §2.10), and retries
/// per <see cref="EtcdRetryMode"/> under the bounded <see cref="StoreRetryPolicy"/>. A failed TLS handshake is a
/// <see cref="StoreTlsException"/> at once: retrying cannot fix a certificate.
/// Every request requires a leader (gRPC metadata <c>hasleader</c>, which the gateway passes on): a member cut off
/// from its peers, or one that lost quorum, answers "etcdserver: no leader" at once instead of holding the request
/// until its own timeout, and cancels our watches and keepalives, so we fail over to a member that has one.
/// </summary>
internal sealed class EtcdHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    /// <summary>The gateway turns <c>Grpc-Metadata-X</c> headers into gRPC metadata; etcd's interceptors refuse requests and streams under <c>hasleader: true</c> when the member has no leader.</summary>
    private const string RequireLeaderHeader = "Grpc-Metadata-hasleader";

    /// <summary>etcd's answer (gRPC Unavailable, HTTP 503) when the member has no leader: nothing was proposed.</summary>
    private const string NoLeader = "etcdserver: no leader";
    private readonly EtcdOptions _options;
    private readonly HttpClient _http;
    private readonly StoreTlsClient? _tls;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private volatile string? _token;
    private int _current;

    public EtcdHttp(EtcdOptions options, ILogger log)
    {
        _options = options;
        _log = log;
        var (handler, tls) = EtcdHandlerFactory.Create(options);
        _tls = tls;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri CurrentEndpoint => _options.Endpoints[Volatile.Read(ref _current) % _options.Endpoints.Count];

    public string Target => _options.ToString();

    public async Task<TResponse> CallAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, EtcdRetryMode mode, CancellationToken ct, TimeSpan? timeout = null)
    {
        var policy = mode == EtcdRetryMode.Once ? _options.Retry with { MaxAttempts = 1 } : _options.Retry;
        var perRequest = timeout ?? _options.RequestTimeout;
        try
        {
            return await policy.ExecuteAsync(Target, (_, token) => SendAsync(path, body, requestType, responseType, perRequest, token), e => IsRetryable(e, mode), ct)
                .ConfigureAwait(false);
        }
        catch (EtcdTransportException e)
        {
            // Not retried because a compare-and-set may already have been applied: the caller re-reads.
            throw new StoreUnavailableException($"{Target} did not answer {path} ({e.Message}); the write may or may not have been applied", e);
        }
    }

    /// <summary>
    /// Opens a streaming POST (watch) on the current endpoint; the caller owns and disposes the response, and calls
    /// <see cref="Failover"/> with <see cref="StreamEndpoint"/> when the stream breaks.
    /// </summary>
    public async Task<(HttpResponseMessage Response, Uri Endpoint)> OpenStreamAsync<TRequest>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken ct)
    {
        await EnsureTokenAsync(ct).ConfigureAwait(false);
        var endpoint = CurrentEndpoint;
        using var request = NewRequest(endpoint, path, JsonSerializer.SerializeToUtf8Bytes(body, requestType));
        HttpResponseMessage response;
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(_options.RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransport(e, ct))
            {
                throw Transport(endpoint, e, _options.RequestTimeout);
            }
        }
        if (response.StatusCode == HttpStatusCode.OK)
            return (response, endpoint);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                _token = null;
            throw MemberError(endpoint, response.StatusCode, text);
        }
    }

    /// <summary>
    /// Moves on to the next endpoint when <paramref name="endpoint"/> is still the current one (concurrent calls that
    /// saw the same member fail move on once, not once each).
    /// </summary>
    public void Failover(Uri endpoint, string reason)
    {
        var count = _options.Endpoints.Count;
        if (count < 2)
            return;
        var current = Volatile.Read(ref _current);
        if (_options.Endpoints[current % count] != endpoint)
            return;
        if (Interlocked.CompareExchange(ref _current, (current + 1) % count, current) == current)
            EtcdLog.EndpointFailed(_log, endpoint.GetLeftPart(UriPartial.Authority), reason);
    }

    /// <summary>
    /// Whether a failed compare-and-set may have taken effect: false only when every attempt surely never reached a
    /// member (refused, no leader); true for a lost answer, a timeout or a server error.
    /// </summary>
    public static bool MayHaveApplied(StoreUnavailableException e) => e.InnerException is not EtcdTransportException { RequestMayHaveArrived: false };

    /// <summary>Forgets the auth token (a watch was cancelled for an invalid token).</summary>
    public void InvalidateToken() => _token = null;

    public void Dispose()
    {
        _http.Dispose();
        _authLock.Dispose();
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, TimeSpan timeout, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        for (var authAttempt = 0; ; authAttempt++)
        {
            await EnsureTokenAsync(ct).ConfigureAwait(false);
            var (endpoint, status, text) = await PostAsync(path, payload, timeout, ct).ConfigureAwait(false);
            if (status == HttpStatusCode.OK)
                return JsonSerializer.Deserialize(text, responseType) ?? throw new StoreException($"{Target} answered {path} with an empty body");
            if (status == HttpStatusCode.Unauthorized && _options.Username is not null && authAttempt == 0)
            {
                EtcdLog.Reauthenticating(_log, _options.Username);
                _token = null;
                continue;
            }
            throw MemberError(endpoint, status, text);
        }
    }

    private async Task<(Uri Endpoint, HttpStatusCode Status, string Text)> PostAsync(string path, byte[] payload, TimeSpan timeout, CancellationToken ct)
    {
        var endpoint = CurrentEndpoint;
        using var request = NewRequest(endpoint, path, payload);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, limit.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false);
            return (endpoint, response.StatusCode, text);
        }
        catch (Exception e) when (IsTransport(e, ct))
        {
            throw Transport(endpoint, e, timeout);
        }
    }

    /// <summary>
    /// An error answer of one member. "No leader" is refused before anything is proposed: a transport-like failure that
    /// never reached the cluster (safe to retry, also a compare-and-set) on the next member. Other server errors
    /// (request timed out, leader changed, 5xx) also move on to the next member, but stay ambiguous for writes.
    /// </summary>
    private Exception MemberError(Uri endpoint, HttpStatusCode status, string text)
    {
        var error = MapError(status, text);
        if (error is not StoreUnavailableException)
            return error;
        var address = endpoint.GetLeftPart(UriPartial.Authority);
        Failover(endpoint, error.Message);
        return text.Contains(NoLeader, StringComparison.Ordinal)
            ? new EtcdTransportException($"{address}: {NoLeader}", requestMayHaveArrived: false, inner: null)
            : error;
    }

    private HttpRequestMessage NewRequest(Uri endpoint, string path, byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Content = new ByteArrayContent(payload) { Headers = { ContentType = s_json } },
        };
        request.Headers.TryAddWithoutValidation(RequireLeaderHeader, "true");
        if (_token is { } token)
            request.Headers.TryAddWithoutValidation("Authorization", token); // raw token: "Bearer" is refused by 3.4 (kv.md §2.9)
        return request;
    }

    private async Task EnsureTokenAsync(CancellationToken ct)
    {
        if (_options.Username is null || _token is not null)
            return;
        await _authLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_token is not null)
                return;
            var payload = JsonSerializer.SerializeToUtf8Bytes(
                new EtcdAuthenticateRequest { Name = _options.Username, Password = _options.Password ?? "" },
                EtcdJsonContext.Default.EtcdAuthenticateRequest);
            var (endpoint, status, text) = await PostAsync("/v3/auth/authenticate", payload, _options.RequestTimeout, ct).ConfigureAwait(false);
            if (status != HttpStatusCode.OK)
            {
                var error = MemberError(endpoint, status, text);
                throw error is StoreUnavailableException or EtcdTransportException ? error
                    : new StoreAuthException($"{Target} refused user {_options.Username}: {Describe(text)}");
            }
            _token = JsonSerializer.Deserialize(text, EtcdJsonContext.Default.EtcdAuthenticateResponse)?.Token
                ?? throw new StoreAuthException($"{Target} returned no token for user {_options.Username}");
        }
        finally
        {
            _authLock.Release();
        }
    }

    private static bool IsTransport(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>A <see cref="StoreTlsException"/> for a failed handshake, else an <see cref="EtcdTransportException"/>; either way the next call tries the next endpoint.</summary>
    private Exception Transport(Uri endpoint, Exception e, TimeSpan timeout)
    {
        var address = endpoint.GetLeftPart(UriPartial.Authority);
        var tls = _tls?.Explain($"etcd at {address}", e);
        var refused = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        var reason = tls?.Message ?? (e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : Innermost(e));
        Failover(endpoint, reason);
        return tls ?? (Exception)new EtcdTransportException($"{address}: {reason}", requestMayHaveArrived: !refused, e);
    }

    private static bool IsRetryable(Exception e, EtcdRetryMode mode) => mode switch
    {
        EtcdRetryMode.Idempotent => e is EtcdTransportException or StoreUnavailableException,
        EtcdRetryMode.UnsentOnly => e is EtcdTransportException { RequestMayHaveArrived: false },
        _ => e is EtcdTransportException or StoreUnavailableException, // one attempt: still reported as unavailable
    };

    /// <summary>Maps a gateway error answer (kv.md §2.10) to the store's exception types.</summary>
    internal StoreException MapError(HttpStatusCode status, string text)
    {
        var body = TryParseError(text);
        var message = body?.Message ?? body?.Error ?? text;
        var what = $"{Target} answered {(int)status}: {message}";
        if (message.Contains("compacted", StringComparison.Ordinal))
            return new EtcdCompactedException(what);
        if (message.Contains("too many operations", StringComparison.Ordinal) || message.Contains("too large", StringComparison.Ordinal)
            || status == HttpStatusCode.RequestEntityTooLarge)
            return new StoreTooLargeException(what);
        if (status == HttpStatusCode.NotFound && message.Contains("lease not found", StringComparison.Ordinal))
            return new StoreLeaseLostException(what);
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new StoreAuthException(what),
            HttpStatusCode.BadRequest when message.Contains("user name", StringComparison.Ordinal)
                || message.Contains("authentication", StringComparison.Ordinal) => new StoreAuthException(what),
            HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => new StoreUnavailableException(what),
            _ => new StoreException(what),
        };
    }

    private static EtcdErrorBody? TryParseError(string text)
    {
        try
        {
            return text.StartsWith('{') ? JsonSerializer.Deserialize(text, EtcdJsonContext.Default.EtcdErrorBody) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(string text) => TryParseError(text)?.Message ?? text;

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e.Message;
    }
}
