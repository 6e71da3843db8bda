using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using DockerNetPlugin.Store.Tls;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// The HTTP side of the Consul backend: one long-lived HttpClient, the token header, <c>?dc=</c>, a per-attempt
/// timeout, bounded retries with jittered backoff, and the mapping of statuses to store exceptions (kv.md §1.11).
/// Callers get back only answers they interpret (2xx, 404, 409). A failed TLS handshake is a <see cref="StoreTlsException"/>
/// at once (retrying cannot fix a certificate). No message ever contains the token.
/// </summary>
internal sealed class ConsulHttp : IDisposable
{
    private const int MaxBodyInMessage = 300;

    private readonly ConsulOptions _options;
    private readonly HttpClient _client;
    private readonly StoreTlsClient? _tls;
    private readonly ILogger _logger;
    private readonly Uri _baseAddress;

    public ConsulHttp(ConsulOptions options, HttpMessageHandler handler, StoreTlsClient? tls, ILogger logger)
    {
        _options = options;
        _tls = tls;
        _logger = logger;
        _baseAddress = options.Address.Scheme == "unix" ? new Uri("http://localhost/") : new Uri(options.Address, "/");
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The address as operators wrote it, safe to log.</summary>
    public string Address => _options.Address.ToString().TrimEnd('/');

    public ConsulOptions Options => _options;

    /// <summary>Builds <c>/v1/{path}?{query}</c> and adds <c>dc</c> when configured. Query values are escaped.</summary>
    public string Url(string path, params (string Name, string? Value)[] query)
    {
        var url = "/v1/" + path;
        var first = true;
        foreach (var (name, value) in query.Append(("dc", _options.Datacenter)))
        {
            if (name == "dc" && value is null)
                continue;
            url += (first ? "?" : "&") + name + (value is null ? string.Empty : "=" + Uri.EscapeDataString(value));
            first = false;
        }
        return url;
    }

    public async Task<ConsulResponse> SendAsync(
        HttpMethod method, string url, byte[]? body, ConsulRetry retry, string what, CancellationToken ct, TimeSpan? attemptTimeout = null)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = new JitteredBackoff(_options.RetryInitialDelay, _options.RetryMaxDelay);
        for (var attempt = 1; ; attempt++)
        {
            var remaining = _options.RetryBudget - Stopwatch.GetElapsedTime(started);
            var timeout = attemptTimeout ?? _options.RequestTimeout;
            if (retry != ConsulRetry.Once && attemptTimeout is null && remaining < timeout)
                timeout = remaining > TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200);

            string reason;
            bool surelyNotApplied;
            try
            {
                var response = await SendOnceAsync(method, url, body, timeout, ct).ConfigureAwait(false);
                var failure = Classify(response, what);
                if (failure is null)
                    return response;
                (reason, surelyNotApplied) = failure.Value;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                (reason, surelyNotApplied) = ($"no answer within {timeout.TotalSeconds:0.#} s", false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && _tls?.Explain($"Consul at {Address}", e) is { } tls)
            {
                throw tls;
            }
            catch (HttpRequestException e)
            {
                (reason, surelyNotApplied) = (Describe(e), e.HttpRequestError == HttpRequestError.ConnectionError);
            }
            catch (IOException e)
            {
                (reason, surelyNotApplied) = (e.Message, false);
            }

            var mayRetry = retry == ConsulRetry.Idempotent || (retry == ConsulRetry.UnsafeWrite && surelyNotApplied);
            var delay = backoff.Next();
            if (!mayRetry || Stopwatch.GetElapsedTime(started) + delay >= _options.RetryBudget)
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                throw new StoreUnavailableException(
                    Scrub($"Consul at {Address} is unavailable: {what} failed after {attempt} attempt(s) in {elapsed} s: {reason}"));
            }
            ConsulLog.Retrying(_logger, what, attempt, (long)delay.TotalMilliseconds, Scrub(reason));
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the token wherever it might appear (server text is echoed into messages).</summary>
    public string Scrub(string text) =>
        string.IsNullOrEmpty(_options.Token) ? text : text.Replace(_options.Token, "[token]", StringComparison.Ordinal);

    public void Dispose() => _client.Dispose();

    private async Task<ConsulResponse> SendOnceAsync(HttpMethod method, string url, byte[]? body, TimeSpan timeout, CancellationToken ct)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, url));
        if (!string.IsNullOrEmpty(_options.Token))
            request.Headers.TryAddWithoutValidation("X-Consul-Token", _options.Token);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutCts.Token).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(timeoutCts.Token).ConfigureAwait(false);
        ulong? index = response.Headers.TryGetValues("X-Consul-Index", out var values)
            && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
        return new ConsulResponse(response.StatusCode, bytes, index);
    }

    /// <summary>Null for answers the caller interprets; a transient reason; or throws for permanent errors.</summary>
    private (string Reason, bool SurelyNotApplied)? Classify(ConsulResponse response, string what)
    {
        var code = (int)response.Status;
        if (response.IsSuccess || response.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            return null;
        var text = Snippet(response);
        if (text.Contains("invalid key", StringComparison.OrdinalIgnoreCase))
            throw new StoreInvalidKeyException(Scrub($"Consul at {Address} refused the key of {what}: {code} {text}"));
        switch (response.Status)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new StoreAuthException(Scrub(
                    $"Consul at {Address} refused {what}: {code} {text} (check CONSUL_HTTP_TOKEN and the token's ACL policy)"));
            case HttpStatusCode.RequestEntityTooLarge:
                throw new StoreTooLargeException(Scrub($"Consul at {Address} refused {what} as too large: {code} {text}"));
            case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable:
                return ($"{code} {text}", true);
            case >= HttpStatusCode.InternalServerError:
                return ($"{code} {text}", false);
            default:
                throw new StoreException(Scrub($"Consul at {Address} rejected {what}: {code} {text}"));
        }
    }

    private static string Snippet(ConsulResponse response)
    {
        var text = response.BodyText.Trim();
        if (text.Length == 0)
            return "(empty body)";
        return text.Length <= MaxBodyInMessage ? text : text[..MaxBodyInMessage] + "…";
    }

    private static string Describe(HttpRequestException e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
}
