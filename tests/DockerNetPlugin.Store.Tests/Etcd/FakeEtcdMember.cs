using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// A loopback port that plays a broken cluster member: it answers every request with etcd's "no leader" error (what a
/// member cut off from its peers says), accepts connections and never answers (a member that holds requests), or
/// passes each request to a real member and then closes the connection without its answer (a leader killed after it
/// applied a write). Counts the requests it got.
/// </summary>
public sealed class FakeEtcdMember : IAsyncDisposable
{
    private const string NoLeaderBody = """{"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14}""";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly bool _silent;
    private readonly Uri? _applyAt;
    private readonly HttpClient _http = new();
    private readonly Task _accepting;
    private int _requests;

    private FakeEtcdMember(bool silent, Uri? applyAt = null)
    {
        _silent = silent;
        _applyAt = applyAt;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>A member that answers 503 "etcdserver: no leader".</summary>
    public static FakeEtcdMember WithoutLeader() => new(silent: false);

    /// <summary>A member that accepts and never answers.</summary>
    public static FakeEtcdMember Silent() => new(silent: true);

    /// <summary>A member that sends each request on to <paramref name="realMember"/> and drops the answer (closes the connection).</summary>
    public static FakeEtcdMember AppliesThenDies(Uri realMember) => new(silent: false, realMember);

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        lock (_held)
        {
            foreach (var c in _held)
                c.Dispose();
        }
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        lock (_held)
            _held.Add(client);
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[16384];
            var text = new StringBuilder();
            while (!_stop.IsCancellationRequested)
            {
                // One request: headers, then Content-Length bytes of body.
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                    return;
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                var all = text.ToString();
                var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                    continue;
                var length = all[..end].Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                if (all.Length < end + 4 + length)
                    continue;
                var path = all[..all.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ')[1];
                var request = all.Substring(end + 4, length);
                text.Remove(0, end + 4 + length);
                Interlocked.Increment(ref _requests);
                if (_silent)
                    continue;
                if (_applyAt is not null)
                {
                    (await _http.PostAsync(new Uri(_applyAt, path), new StringContent(request, Encoding.UTF8, "application/json"), _stop.Token)).Dispose();
                    client.Client.Shutdown(SocketShutdown.Both);
                    return;
                }
                var body = Encoding.UTF8.GetBytes(NoLeaderBody);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
