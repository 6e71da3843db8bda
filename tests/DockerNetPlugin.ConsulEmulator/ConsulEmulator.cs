using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace DockerNetPlugin.Emulators.Consul;

/// <summary>
/// A Consul EMULATOR for tests: an HTTP server on 127.0.0.1 that follows the documented semantics of the Consul
/// HTTP API the backend relies on (kv.md §1: KV with CreateIndex/ModifyIndex/LockIndex/Session, cas, acquire and
/// release, blocking queries, /v1/txn, TTL sessions, /v1/status/leader, ACL tokens). It is not Consul and shares
/// no code with it. Extras for tests: session TTLs below Consul's 10 s minimum (<see cref="MinSessionTtl"/>),
/// and fault injection (failed or dropped requests, no leader, index reset, restart with or without data).
/// With <see cref="EmulatorTls"/> it serves HTTPS only and can require client certificates (Consul's <c>verify_incoming</c>).
/// </summary>
public sealed partial class ConsulEmulator : IAsyncDisposable
{
    /// <summary>Consul's own limits (kv.md §1.3, §1.8).</summary>
    public const int MaxValueBytes = 512 * 1024;

    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<(EmulatorFault Fault, Func<EmulatorRequest, bool> Applies)> _faults = new();
    private readonly ConcurrentQueue<EmulatorRequest> _requests = new();
    private readonly Timer _expiry;
    private WebApplication? _app;
    private EmulatorTls? _tls;
    private IPAddress _listenAddress = IPAddress.Loopback;
    private CancellationTokenSource _dropAll = new();

    // Guarded by _gate.
    private EmulatorKvTable _table = new();
    private Dictionary<string, EmulatedSession> _sessions = new(StringComparer.Ordinal);
    private ulong _index;
    private TaskCompletionSource _changed = NewSignal();
    private int _abandonGeneration;

    private ConsulEmulator()
    {
        _expiry = new Timer(_ => ExpireSessions(), null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
    }

    /// <summary>http://address:port, or https:// when started with <see cref="EmulatorTls"/>.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>When set, every request but /v1/status/leader needs this token (403 otherwise).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>False: /v1/status/leader answers "" and KV, txn and session calls answer 500 "No cluster leader".</summary>
    public bool HasLeader { get; set; } = true;

    /// <summary>Smallest session TTL accepted (Consul: 10 s). Tests lower it.</summary>
    public TimeSpan MinSessionTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A session is invalidated this many TTLs after its last renewal (Consul: up to 2).</summary>
    public double TtlMultiplier { get; set; } = 2;

    /// <summary>Operations per transaction (64 up to Consul 1.13).</summary>
    public int MaxTxnOps { get; set; } = 64;

    /// <summary>Fault: every KV read answers X-Consul-Index 0 and never blocks (what old versions sometimes did).</summary>
    public bool AnswerIndexZero { get; set; }

    public string Datacenter { get; set; } = "dc1";

    /// <summary>Everything received so far, oldest first.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => _requests.ToArray();

    public ulong CurrentIndex
    {
        get
        {
            lock (_gate)
                return _index;
        }
    }

    /// <summary>Starts on <paramref name="listen"/> (default: 127.0.0.1 and a free port).</summary>
    public static async Task<ConsulEmulator> StartAsync(EmulatorTls? tls = null, IPEndPoint? listen = null)
    {
        var emulator = new ConsulEmulator { _tls = tls, _listenAddress = listen?.Address ?? IPAddress.Loopback };
        await emulator.ListenAsync(listen?.Port ?? 0);
        return emulator;
    }

    /// <summary>The next <paramref name="count"/> requests matching <paramref name="applies"/> (default: all) fail with <paramref name="fault"/>.</summary>
    public void FailNext(int count, EmulatorFault fault, Func<EmulatorRequest, bool>? applies = null)
    {
        for (var i = 0; i < count; i++)
            _faults.Enqueue((fault, applies ?? (_ => true)));
    }

    /// <summary>Resets every open connection, including blocked queries.</summary>
    public void DropConnections()
    {
        var old = Interlocked.Exchange(ref _dropAll, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
    }

    /// <summary>
    /// Fault: the index goes back to <paramref name="index"/> as after a snapshot restore. Entries keep their data but no
    /// index above it, tombstones are reaped, and blocked queries return at once (as Consul abandons them on restore).
    /// </summary>
    public void ResetIndex(ulong index)
    {
        lock (_gate)
        {
            var reset = new EmulatorKvTable { TableIndex = Math.Min(_table.TableIndex, index) };
            foreach (var e in _table.Entries.Values)
                reset.Write(e with { CreateIndex = Math.Min(e.CreateIndex, index), ModifyIndex = Math.Min(e.ModifyIndex, index) });
            _table = reset;
            _index = index;
            _abandonGeneration++;
            Signal();
        }
    }

    /// <summary>Stops and starts the server on the same port. Without <paramref name="keepData"/> it comes back empty (index from 0).</summary>
    public async Task RestartAsync(bool keepData)
    {
        var port = Address.Port;
        await StopServerAsync();
        if (!keepData)
        {
            lock (_gate)
            {
                _table = new EmulatorKvTable();
                _sessions = new Dictionary<string, EmulatedSession>(StringComparer.Ordinal);
                _index = 0;
                _abandonGeneration++;
                Signal();
            }
        }
        await ListenAsync(port);
    }

    /// <summary>Sets a key directly (as another client would), returning its new ModifyIndex.</summary>
    public ulong Put(string key, string value)
    {
        var (ok, results, _) = Execute([new TxnOpSpec("set", key, Encoding.UTF8.GetBytes(value), 0, 0, null)]);
        return ok ? results[0].Entry.ModifyIndex : throw new InvalidOperationException("emulator set failed");
    }

    /// <summary>The stored entry, or null.</summary>
    internal EmulatedEntry? Peek(string key)
    {
        lock (_gate)
            return _table.Entries.GetValueOrDefault(key);
    }

    /// <summary>Ids of the live sessions.</summary>
    public IReadOnlyList<string> SessionIds
    {
        get
        {
            lock (_gate)
                return _sessions.Keys.ToList();
        }
    }

    /// <summary>Stops the server; also disposes the certificate of its <see cref="EmulatorTls"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _expiry.DisposeAsync();
        await StopServerAsync();
        _dropAll.Dispose();
        _tls?.ServerCertificate.Dispose();
    }

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(_listenAddress, port, listen =>
        {
            if (_tls is { } tls)
                listen.UseHttps(tls.Configure);
        }));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("the emulator has no address");
        Address = new Uri(address.Replace("[::]", _listenAddress.ToString(), StringComparison.Ordinal));
        if (Address.Port == 0)
            throw new InvalidOperationException("the emulator did not learn its port");
        _app = app;
    }

    private async Task StopServerAsync()
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null)
            return;
        DropConnections();
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            await app.StopAsync(stopTimeout.Token);
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var token = ctx.Request.Headers["X-Consul-Token"].FirstOrDefault()
            ?? (ctx.Request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null);
        var request = new EmulatorRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? string.Empty, token);
        _requests.Enqueue(request);

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _dropAll.Token);
        try
        {
            if (TakeFault(request) is { } fault)
            {
                await InjectAsync(ctx, fault);
                return;
            }
            await RouteAsync(ctx, request, aborted.Token);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            ctx.Abort();
        }
    }

    private async Task RouteAsync(HttpContext ctx, EmulatorRequest request, CancellationToken ct)
    {
        var path = request.Path;
        if (path == "/v1/status/leader")
        {
            await WriteJsonAsync(ctx, HttpStatusCode.OK, w => w.WriteStringValue(HasLeader ? "127.0.0.1:8300" : string.Empty), null);
            return;
        }
        if (RequiredToken is not null && request.Token != RequiredToken)
        {
            await WriteTextAsync(ctx, HttpStatusCode.Forbidden, request.Token is null ? "Permission denied" : "ACL not found");
            return;
        }
        if (ctx.Request.Query.ContainsKey("dc") && ctx.Request.Query["dc"] != Datacenter)
        {
            await WriteTextAsync(ctx, HttpStatusCode.InternalServerError, "No path to datacenter");
            return;
        }
        if (!HasLeader)
        {
            await WriteTextAsync(ctx, HttpStatusCode.InternalServerError, "No cluster leader");
            return;
        }
        if (ctx.Request.Query.ContainsKey("stale") && ctx.Request.Query.ContainsKey("consistent"))
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Cannot specify ?stale with ?consistent, conflicting semantics.");
            return;
        }
        switch (path)
        {
            case var p when p.StartsWith("/v1/kv/", StringComparison.Ordinal):
                await HandleKvAsync(ctx, p["/v1/kv/".Length..], ct);
                break;
            case "/v1/txn":
                await HandleTxnAsync(ctx, ct);
                break;
            case var p when p.StartsWith("/v1/session/", StringComparison.Ordinal):
                await HandleSessionAsync(ctx, p["/v1/session/".Length..], ct);
                break;
            default:
                await WriteTextAsync(ctx, HttpStatusCode.NotFound, "no such endpoint in the emulator: " + path);
                break;
        }
    }

    private EmulatorFault? TakeFault(EmulatorRequest request)
    {
        if (!_faults.TryPeek(out var next) || !next.Applies(request))
            return null;
        return _faults.TryDequeue(out var taken) ? taken.Fault : null;
    }

    private static async Task InjectAsync(HttpContext ctx, EmulatorFault fault)
    {
        switch (fault)
        {
            case EmulatorFault.NoLeader:
                await WriteTextAsync(ctx, HttpStatusCode.InternalServerError, "No cluster leader");
                break;
            case EmulatorFault.TooManyRequests:
                await WriteTextAsync(ctx, HttpStatusCode.TooManyRequests, "Your IP is issuing too many concurrent connections, please rate limit your calls");
                break;
            default:
                ctx.Abort();
                break;
        }
    }

    /// <summary>Wakes blocked queries. Caller holds <see cref="_gate"/>.</summary>
    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static Task WriteTextAsync(HttpContext ctx, HttpStatusCode status, string text)
    {
        ctx.Response.StatusCode = (int)status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(text);
    }

    private async Task WriteJsonAsync(HttpContext ctx, HttpStatusCode status, Action<Utf8JsonWriter> write, ulong? index)
    {
        ctx.Response.StatusCode = (int)status;
        ctx.Response.ContentType = "application/json";
        if (index is { } i)
            ctx.Response.Headers["X-Consul-Index"] = (AnswerIndexZero ? 0 : i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        ctx.Response.Headers["X-Consul-KnownLeader"] = "true";
        ctx.Response.Headers["X-Consul-LastContact"] = "0";
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        await ctx.Response.Body.WriteAsync(buffer.ToArray());
    }

    private static void WriteEntry(Utf8JsonWriter w, EmulatedEntry e, bool withValue)
    {
        w.WriteStartObject();
        w.WriteNumber("LockIndex", e.LockIndex);
        w.WriteString("Key", e.Key);
        w.WriteNumber("Flags", e.Flags);
        if (withValue && e.Value.Length > 0)
            w.WriteBase64String("Value", e.Value);
        else
            w.WriteNull("Value");
        if (e.Session is not null)
            w.WriteString("Session", e.Session);
        w.WriteNumber("CreateIndex", e.CreateIndex);
        w.WriteNumber("ModifyIndex", e.ModifyIndex);
        w.WriteEndObject();
    }

    private static long Now => Stopwatch.GetTimestamp();

    private static long After(TimeSpan span) => Now + (long)(span.TotalSeconds * Stopwatch.Frequency);
}
