using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Store.Tls;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// The one HTTP client of an etcd store: POSTs JSON to the gateway of the current endpoint, fails
/// over to the next endpoint on transport errors, keeps the auth token (re-authenticating once when
/// it expires), maps gateway errors to store exceptions (kv.md §2.10), and retries per
/// <see cref="EtcdRetryMode"/> under the bounded <see cref="StoreRetryPolicy"/>. A failed TLS handshake is a
/// <see cref="StoreTlsException"/> at once: retrying cannot fix a certificate.
/// </summary>
internal sealed class EtcdHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
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
        JsonTypeInfo<TResponse> responseType, EtcdRetryMode mode, CancellationToken ct)
    {
        var policy = mode == EtcdRetryMode.Once ? _options.Retry with { MaxAttempts = 1 } : _options.Retry;
        try
        {
            return await policy.ExecuteAsync(Target, (_, token) => SendAsync(path, body, requestType, responseType, token), e => IsRetryable(e, mode), ct)
                .ConfigureAwait(false);
        }
        catch (EtcdTransportException e)
        {
            // Not retried because a compare-and-set may already have been applied: the caller re-reads.
            throw new StoreUnavailableException($"{Target} did not answer {path} ({e.Message}); the write may or may not have been applied", e);
        }
    }

    /// <summary>Opens a streaming POST (watch) on the current endpoint; the caller owns and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync<TRequest>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken ct)
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
                throw Transport(endpoint, e);
            }
        }
        if (response.StatusCode == HttpStatusCode.OK)
            return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                _token = null;
            throw MapError(response.StatusCode, text);
        }
    }

    /// <summary>Forgets the auth token (a watch was cancelled for an invalid token).</summary>
    public void InvalidateToken() => _token = null;

    public void Dispose()
    {
        _http.Dispose();
        _authLock.Dispose();
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        for (var authAttempt = 0; ; authAttempt++)
        {
            await EnsureTokenAsync(ct).ConfigureAwait(false);
            var (status, text) = await PostAsync(path, payload, ct).ConfigureAwait(false);
            if (status == HttpStatusCode.OK)
                return JsonSerializer.Deserialize(text, responseType) ?? throw new StoreException($"{Target} answered {path} with an empty body");
            if (status == HttpStatusCode.Unauthorized && _options.Username is not null && authAttempt == 0)
            {
                EtcdLog.Reauthenticating(_log, _options.Username);
                _token = null;
                continue;
            }
            throw MapError(status, text);
        }
    }

    private async Task<(HttpStatusCode Status, string Text)> PostAsync(string path, byte[] payload, CancellationToken ct)
    {
        var endpoint = CurrentEndpoint;
        using var request = NewRequest(endpoint, path, payload);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return (response.StatusCode, text);
        }
        catch (Exception e) when (IsTransport(e, ct))
        {
            throw Transport(endpoint, e);
        }
    }

    private HttpRequestMessage NewRequest(Uri endpoint, string path, byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Content = new ByteArrayContent(payload) { Headers = { ContentType = s_json } },
        };
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
            var (status, text) = await PostAsync("/v3/auth/authenticate", payload, ct).ConfigureAwait(false);
            if (status != HttpStatusCode.OK)
            {
                var error = MapError(status, text);
                throw error is StoreUnavailableException ? error
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
    private Exception Transport(Uri endpoint, Exception e)
    {
        var address = endpoint.GetLeftPart(UriPartial.Authority);
        var tls = _tls?.Explain($"etcd at {address}", e);
        var refused = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        var reason = tls?.Message ?? (e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s" : Innermost(e));
        if (_options.Endpoints.Count > 1)
        {
            Interlocked.Increment(ref _current);
            EtcdLog.EndpointFailed(_log, address, reason);
        }
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
