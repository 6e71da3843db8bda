using System.Diagnostics;
using System.Net.Sockets;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Talks to the plugin the way Docker does: HTTP/1.1 over its unix socket, Host <c>plugin.moby.localhost</c>,
/// no Content-Type, the body exactly as given (even when it is not JSON).
/// </summary>
public sealed class PluginClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public PluginClient(string socketPath, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://plugin.moby.localhost"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends one request; never throws for what the plugin does (a hang or a refused connection is a reply too).</summary>
    public async Task<PluginReply> SendAsync(HttpMethod method, string path, byte[] body, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            request.Headers.Accept.ParseAdd("application/vnd.docker.plugins.v1.2+json");
            if (method != HttpMethod.Get || body.Length > 0)
                request.Content = new ByteArrayContent(body);
            using var response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            return new PluginReply((int)response.StatusCode, bytes, Stopwatch.GetElapsedTime(started), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PluginReply(0, [], Stopwatch.GetElapsedTime(started), $"no answer within {_timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return new PluginReply(0, [], Stopwatch.GetElapsedTime(started), $"{e.HttpRequestError}: {e.Message}");
        }
    }

    public Task<PluginReply> PostAsync(string path, byte[] body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public void Dispose() => _http.Dispose();
}
