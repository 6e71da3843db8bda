using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Ipam;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Protocol;
using DockerNetPlugin.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Host;

/// <summary>Which error field a protocol uses: <c>Err</c> for the network driver, <c>Error</c> for IPAM.</summary>
internal enum Subsystem
{
    NetworkDriver,
    IpamDriver,
}

/// <summary>
/// One plugin call from end to end: read the body whatever the Content-Type (Docker sends none; an empty body
/// after a transport retry is allowed), run the handler under a deadline, always answer 200 with a JSON object,
/// turn every failure into the subsystem's error shape, and log one line with the outcome and duration.
/// </summary>
internal sealed class PluginCall
{
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;

    public PluginCall(ILogger<PluginCall> logger, HostSettings settings)
    {
        _logger = logger;
        _timeout = settings.CallTimeout;
    }

    public async Task HandleAsync<TRequest, TResponse>(
        HttpContext http,
        Subsystem subsystem,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<TRequest?, CancellationToken, Task<TResponse>> handler)
        where TRequest : class
    {
        var method = http.Request.Path.Value?.TrimStart('/') ?? "?";
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(_timeout);
        TRequest? request = null;
        try
        {
            request = await ReadAsync(http, requestType, method, deadline.Token).ConfigureAwait(false);
            var response = await handler(request, deadline.Token).ConfigureAwait(false);
            await WriteAsync(http, response, responseType).ConfigureAwait(false);
            HostLog.CallSucceeded(_logger, method, Ids.Of(request), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            var message = Describe(e, method);
            if (IsUnexpected(e))
                HostLog.CallCrashed(_logger, method, Ids.Of(request), Stopwatch.GetElapsedTime(started).TotalMilliseconds, e);
            else
                HostLog.CallFailed(_logger, method, Ids.Of(request), Stopwatch.GetElapsedTime(started).TotalMilliseconds, message);
            await WriteErrorAsync(http, subsystem, message).ConfigureAwait(false);
        }
    }

    /// <summary>A handler that always gives the same answer (acknowledgements, capabilities).</summary>
    public static Func<TRequest?, CancellationToken, Task<TResponse>> Always<TRequest, TResponse>(TResponse response)
        where TRequest : class => (_, _) => Task.FromResult(response);

    /// <summary>Answer a call with no request body and no failure modes (GetCapabilities and friends).</summary>
    public Task ConstantAsync<TResponse>(HttpContext http, TResponse response, JsonTypeInfo<TResponse> type) =>
        HandleAsync(http, Subsystem.NetworkDriver, PluginJsonContext.Default.EmptyResponse, type, Always<EmptyResponse, TResponse>(response));

    private static async Task<TRequest?> ReadAsync<TRequest>(HttpContext http, JsonTypeInfo<TRequest> type, string method, CancellationToken ct)
        where TRequest : class
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        var body = buffer.ToArray();
        if (body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            return null;
        // The reader leaves string contents unchecked until they are read; refuse bad bytes here, not deep in a handler.
        if (!System.Text.Unicode.Utf8.IsValid(body))
            throw new BadRequestException($"{method}: the request body is not valid UTF-8 JSON");
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new BadRequestException($"{method}: the request body is JSON null; a JSON object was expected");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path}" : string.Empty;
            throw new BadRequestException($"{method}: malformed request body{where}: {FirstSentence(e.Message)}");
        }
    }

    private static Task WriteAsync<TResponse>(HttpContext http, TResponse response, JsonTypeInfo<TResponse> type)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/vnd.docker.plugins.v1.2+json";
        return JsonSerializer.SerializeAsync(http.Response.Body, response, type);
    }

    private static Task WriteErrorAsync(HttpContext http, Subsystem subsystem, string message) => subsystem == Subsystem.IpamDriver
        ? WriteAsync(http, new IpamErrorResponse(message), PluginJsonContext.Default.IpamErrorResponse)
        : WriteAsync(http, new NetworkErrorResponse(message), PluginJsonContext.Default.NetworkErrorResponse);

    private string Describe(Exception e, string method) => e switch
    {
        BadRequestException or DriverException or IpamException or SettingsException => e.Message,
        StoreTooLargeException => $"{method}: the request is too large to store ({e.Message}); use shorter -o / --ipam-opt values",
        StoreException => $"store unavailable: {e.Message}",
        NetlinkException => $"kernel refused the change: {e.Message}",
        OperationCanceledException => $"{method} did not finish within {_timeout.TotalSeconds:0} s (is the store reachable?)",
        _ => $"internal error in {method}: {e.GetType().Name}: {e.Message}",
    };

    private static bool IsUnexpected(Exception e) =>
        e is not (BadRequestException or DriverException or IpamException or StoreException or NetlinkException or OperationCanceledException or SettingsException);

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? text[..end] : text;
    }
}

/// <summary>The request itself is malformed: missing body, bad JSON, a missing or wrong-typed field.</summary>
internal sealed class BadRequestException : Exception
{
    public BadRequestException(string message) : base(message) { }
}
