using System.Buffers.Binary;
using System.Collections;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary>
/// The CLI's side of the operator API (<c>/dnp/v1/...</c> on the plugin socket). The socket is DNP_SOCKET, else the
/// legacy <c>/run/docker/plugins/dnp.sock</c>, else the one managed plugin's <c>/run/docker/plugins/&lt;id&gt;/dnp.sock</c>.
/// It also learns the plugin's process id from the socket (SO_PEERCRED), so kernel lookups can reach the plugin's
/// namespace files through <c>/proc/PID/root</c> whether it runs on the host or as a managed plugin.
/// </summary>
internal sealed class PluginClient : IDisposable
{
    public const string LegacySocket = "/run/docker/plugins/dnp.sock";
    private const string PluginsDirectory = "/run/docker/plugins";
    private const int SolSocket = 1;
    private const int SoPeercred = 17;

    private readonly HttpClient _http;

    private PluginClient(string socket)
    {
        Socket = socket;
        var handler = new SocketsHttpHandler { ConnectCallback = (_, ct) => ConnectAsync(ct) };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://dnp"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Socket { get; }

    /// <summary>The plugin's pid in this process's pid namespace, once a request connected.</summary>
    public int? PeerPid { get; private set; }

    public static PluginClient FromEnvironment(IDictionary environment) => new(ResolveSocket(environment));

    /// <summary>GET a path of the operator API; the JSON body, or a <see cref="CliException"/> saying what went wrong.</summary>
    public Task<string> GetJsonAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, ct);

    /// <summary>GET (or with <paramref name="post"/>, POST) and decode; returns the raw JSON too, for <c>--json</c>.</summary>
    public async Task<(T Value, string Json)> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct, bool post = false)
    {
        var json = await SendAsync(post ? HttpMethod.Post : HttpMethod.Get, path, ct).ConfigureAwait(false);
        try
        {
            return (JsonSerializer.Deserialize(json, type) ?? throw new CliException($"the plugin answered an empty {path}"), json);
        }
        catch (JsonException e)
        {
            throw new CliException($"the plugin's answer to {path} is not what this dnp expects (a different version?): {e.Message}", e);
        }
    }

    private async Task<string> SendAsync(HttpMethod method, string path, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return body;
            throw new CliException($"the plugin answered {(int)response.StatusCode}: {ErrorText(body)}");
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the plugin at {Socket}: {e.Message} (is `dnp serve` or the managed plugin running? set DNP_SOCKET)", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the plugin at {Socket} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
    }

    /// <summary>GET, then print the plugin's JSON as it is (<c>--json</c>) or hand the decoded answer to <paramref name="print"/>.</summary>
    public async Task<int> ShowAsync<T>(string path, JsonTypeInfo<T> type, bool json, Action<T> print, CancellationToken ct)
    {
        var (value, body) = await GetAsync(path, type, ct).ConfigureAwait(false);
        if (json)
            Console.WriteLine(body);
        else
            print(value);
        return 0;
    }

    public void Dispose() => _http.Dispose();

    private static string ResolveSocket(IDictionary environment)
    {
        if (environment["DNP_SOCKET"] is string { Length: > 0 } configured)
            return configured;
        if (File.Exists(LegacySocket) || !Directory.Exists(PluginsDirectory))
            return LegacySocket;
        var managed = Directory.GetDirectories(PluginsDirectory)
            .Select(d => Path.Combine(d, Path.GetFileName(LegacySocket)))
            .Where(File.Exists)
            .ToList();
        return managed.Count switch
        {
            0 => LegacySocket,
            1 => managed[0],
            _ => throw new CliException($"several managed dnp plugins answer here ({string.Join(", ", managed)}); set DNP_SOCKET to one of them", 2),
        };
    }

    private static string ErrorText(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, OperatorJsonContext.Default.StatusError)?.Error ?? body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private async ValueTask<Stream> ConnectAsync(CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct).ConfigureAwait(false);
            Span<byte> credentials = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            if (socket.GetRawSocketOption(SolSocket, SoPeercred, credentials) >= 4)
                PeerPid = BinaryPrimitives.ReadInt32LittleEndian(credentials);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
