using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// A loopback port that plays a broken cluster member: it answers every request with etcd's "no leader" error (what a
/// member cut off from its peers says), or accepts connections and never answers (a member that holds requests).
/// Counts the requests it got.
/// </summary>
public sealed class FakeEtcdMember : IAsyncDisposable
{
    private const string NoLeaderBody = """{"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14}""";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly bool _silent;
    private readonly Task _accepting;
    private int _requests;

    private FakeEtcdMember(bool silent)
    {
        _silent = silent;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>A member that answers 503 "etcdserver: no leader".</summary>
    public static FakeEtcdMember WithoutLeader() => new(silent: false);

    /// <summary>A member that accepts and never answers.</summary>
    public static FakeEtcdMember Silent() => new(silent: true);

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
                text.Remove(0, end + 4 + length);
                Interlocked.Increment(ref _requests);
                if (_silent)
                    continue;
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
