using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Engine;

/// <summary>
/// A thin Docker Engine API client over one long-lived <see cref="HttpClient"/> that dials the
/// daemon's unix socket (or TCP). The API version is negotiated once with <c>/_ping</c>.
/// </summary>
public sealed partial class DockerEngineClient : IDockerEngine, IDisposable
{
    /// <summary>The highest API version this client speaks (Docker 26).</summary>
    public const string MaxApiVersion = "1.45";

    private static readonly TimeSpan s_defaultRequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly TimeSpan _requestTimeout;
    private readonly ILogger _logger;

    // Guards nothing but publication: the first successful ping wins, concurrent first calls may ping twice.
    private volatile EnginePing? _ping;

    /// <summary>Creates a client for <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The daemon, e.g. <see cref="DockerEndpoint.FromEnvironment()"/>.</param>
    /// <param name="requestTimeout">Limit for each call except the events stream; 30 s when null.</param>
    /// <param name="logger">Optional logger.</param>
    public DockerEngineClient(DockerEndpoint endpoint, TimeSpan? requestTimeout = null, ILogger<DockerEngineClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        _requestTimeout = requestTimeout ?? s_defaultRequestTimeout;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = _requestTimeout,
        };
        if (endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = (_, ct) => ConnectUnixAsync(path, ct);
        }

        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = endpoint.IsUnixSocket
                ? new Uri("http://docker/")
                : new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{endpoint.Host}:{endpoint.Port}/")),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The daemon this client talks to.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <inheritdoc/>
    public async Task<EnginePing> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "_ping");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(request, response, timeout.Token).ConfigureAwait(false);
        var server = response.Headers.TryGetValues("Api-Version", out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrWhiteSpace(server) || !Version.TryParse(server, out var serverVersion))
        {
            throw new DockerEngineException($"Docker at {Endpoint} answered /_ping without a usable Api-Version header ('{server}').", response.StatusCode);
        }

        var negotiated = serverVersion < Version.Parse(MaxApiVersion) ? server : MaxApiVersion;
        var os = response.Headers.TryGetValues("Ostype", out var osValues) ? osValues.FirstOrDefault() : null;
        var ping = new EnginePing(server, negotiated, os);
        _ping = ping;
        LogNegotiated(_logger, Endpoint.Uri, server, negotiated);
        return ping;
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<string> VersionPrefixAsync(CancellationToken cancellationToken)
    {
        var ping = _ping ?? await PingAsync(cancellationToken).ConfigureAwait(false);
        return "v" + ping.NegotiatedApiVersion + "/";
    }

    private CancellationTokenSource StartTimeout(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_requestTimeout);
        return cts;
    }

    /// <summary>Sends one request; turns transport failures and our own timeout into <see cref="DockerEngineException"/>.</summary>
    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken token, CancellationToken callerToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested)
        {
            throw new DockerEngineException($"Docker at {Endpoint} did not answer {request.Method} /{request.RequestUri} within {_requestTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DockerEngineException($"Docker at {Endpoint} is unreachable for {request.Method} /{request.RequestUri}: {ex.Message}", ex);
        }
    }

    /// <summary>Sends a versioned API call and returns the response (caller disposes), mapping errors except <paramref name="tolerated"/>.</summary>
    private async Task<HttpResponseMessage> SendApiAsync(HttpMethod method, string pathAndQuery, HttpContent? content, HttpStatusCode? tolerated, CancellationToken token, CancellationToken callerToken)
    {
        var prefix = await VersionPrefixAsync(token).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, prefix + pathAndQuery) { Content = content };
        var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, token, callerToken).ConfigureAwait(false);
        if (tolerated is { } status && response.StatusCode == status)
        {
            return response;
        }

        try
        {
            await EnsureSuccessAsync(request, response, token).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task EnsureSuccessAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? daemonMessage = null;
        try
        {
            daemonMessage = JsonSerializer.Deserialize(body, EngineJsonContext.Default.EngineErrorBody)?.Message;
        }
        catch (JsonException)
        {
            daemonMessage = body.Trim();
        }

        var text = $"Docker at {Endpoint} answered {(int)response.StatusCode} {response.StatusCode} to {request.Method} /{request.RequestUri}: {daemonMessage}";
        LogCallFailed(_logger, request.Method.Method, request.RequestUri?.ToString() ?? "", (int)response.StatusCode, daemonMessage ?? "");
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DockerConflictException(text, daemonMessage);
        }

        throw new DockerEngineException(text, response.StatusCode, daemonMessage);
    }

    private async Task<T?> GetJsonAsync<T>(string pathAndQuery, JsonTypeInfo<T> typeInfo, bool nullOnNotFound, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = StartTimeout(cancellationToken);
        using var response = await SendApiAsync(HttpMethod.Get, pathAndQuery, null, nullOnNotFound ? HttpStatusCode.NotFound : null, timeout.Token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadJsonAsync(response, typeInfo, timeout.Token).ConfigureAwait(false);
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw new DockerEngineException($"Docker at {Endpoint} answered an empty JSON body ({typeof(T).Name}).", response.StatusCode);
            }
            catch (JsonException ex)
            {
                throw new DockerEngineException($"Docker at {Endpoint} answered JSON that is not a {typeof(T).Name}: {ex.Message}", ex);
            }
        }
    }

    private static StringContent JsonContent<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new StringContent(JsonSerializer.Serialize(value, typeInfo), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string FiltersQuery(IReadOnlyDictionary<string, string[]>? filters)
    {
        if (filters is null || filters.Count == 0)
        {
            return "";
        }

        var map = filters.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return "filters=" + Uri.EscapeDataString(JsonSerializer.Serialize(map, EngineJsonContext.Default.DictionaryStringStringArray));
    }

    private static string Escape(string idOrName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrName);
        return Uri.EscapeDataString(idOrName);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Docker at {Endpoint}: server API {ServerVersion}, using {NegotiatedVersion}")]
    private static partial void LogNegotiated(ILogger logger, string endpoint, string serverVersion, string negotiatedVersion);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Docker API {Method} {Path} failed with {Status}: {DaemonMessage}")]
    private static partial void LogCallFailed(ILogger logger, string method, string path, int status, string daemonMessage);
}
