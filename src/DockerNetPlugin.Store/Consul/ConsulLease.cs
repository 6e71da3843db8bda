using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// A lease backed by a Consul session (kv.md §4.5). Renewed every session TTL / 3. <see cref="Lost"/> fires when a
/// renewal answers 404 (the session is gone), or when no renewal succeeded for <see cref="GrantedTtl"/>
/// (2 × session TTL, the latest moment Consul may invalidate it). Dispose destroys the session, so its keys vanish at once;
/// detach only stops renewing (a later process resumes the session by its id).
/// </summary>
internal sealed class ConsulLease : ILease
{
    private readonly ConsulHttp _http;
    private readonly TimeSpan _sessionTtl;
    private readonly ILogger _logger;
    private readonly Action<ConsulLease> _onDisposed;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _renewLoop = Task.CompletedTask;
    private int _disposed;
    private int _lostOnce;

    public ConsulLease(ConsulHttp http, string id, TimeSpan sessionTtl, ILogger logger, Action<ConsulLease> onDisposed)
    {
        _http = http;
        Id = id;
        _sessionTtl = sessionTtl;
        _logger = logger;
        _onDisposed = onDisposed;
    }

    public string Id { get; }

    public TimeSpan GrantedTtl => _sessionTtl * 2;

    public CancellationToken Lost => _lost.Token;

    public void Start() => _renewLoop = Task.Run(() => RenewLoopAsync(_stop.Token));

    /// <summary>Fires <see cref="Lost"/> once (also used when a write finds the session invalid).</summary>
    public void MarkLost(string reason)
    {
        if (Interlocked.Exchange(ref _lostOnce, 1) != 0)
            return;
        ConsulLog.SessionLost(_logger, Id, reason);
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException e)
        {
            // A consumer's Lost callback threw; the lease is lost all the same.
            ConsulLog.SessionLost(_logger, Id, "a Lost callback threw: " + e.InnerException?.Message);
        }
    }

    /// <summary>Test hook: renewals stop as if the owner hung; the session then expires on the server.</summary>
    internal Task StopRenewalsAsync() => _stop.CancelAsync();

    /// <summary>Stops renewing and forgets the session without destroying it: its keys stay until it expires or is resumed.</summary>
    public async ValueTask DetachAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewLoop.ConfigureAwait(false);
        _onDisposed(this);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await StopAsync().ConfigureAwait(false);
        try
        {
            await _http.SendAsync(HttpMethod.Put, _http.Url("session/destroy/" + Id), null,
                ConsulRetry.Once, "session destroy", CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            ConsulLog.DestroyFailed(_logger, Id, e.Message);
        }
        _stop.Dispose();
    }

    private async Task RenewLoopAsync(CancellationToken stop)
    {
        var lastRenewal = Stopwatch.GetTimestamp();
        var interval = _sessionTtl / 3;
        var delay = interval;
        while (!stop.IsCancellationRequested && !_lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
                var remaining = GrantedTtl - Stopwatch.GetElapsedTime(lastRenewal);
                if (remaining <= TimeSpan.Zero)
                {
                    MarkLost($"no renewal succeeded within {GrantedTtl.TotalSeconds:0.#} s");
                    return;
                }
                var response = await _http.SendAsync(HttpMethod.Put, _http.Url("session/renew/" + Id), null,
                    ConsulRetry.Once, "session renewal", stop, remaining < _http.Options.RequestTimeout ? remaining : null).ConfigureAwait(false);
                if (response.Status == HttpStatusCode.NotFound)
                {
                    MarkLost("Consul no longer knows the session (expired or destroyed)");
                    return;
                }
                if (!response.IsSuccess)
                    throw new StoreException($"session renewal answered {(int)response.Status}");
                lastRenewal = Stopwatch.GetTimestamp();
                interval = RenewInterval(response);
                delay = interval;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or JsonException)
            {
                var remaining = GrantedTtl - Stopwatch.GetElapsedTime(lastRenewal);
                ConsulLog.RenewFailed(_logger, Id, (long)Math.Max(0, remaining.TotalMilliseconds), e.Message);
                // Keep trying more often until the TTL would have run out locally.
                delay = TimeSpan.FromTicks(Math.Clamp(remaining.Ticks, TimeSpan.FromMilliseconds(10).Ticks, (interval / 2).Ticks));
            }
        }
    }

    /// <summary>The server may answer with a larger TTL when it wants fewer renewals (kv.md §1.9).</summary>
    private TimeSpan RenewInterval(ConsulResponse response)
    {
        var sessions = JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.ListConsulSessionInfo);
        var answered = ConsulDuration.TryParse(sessions?.FirstOrDefault()?.Ttl);
        var ttl = answered is { } a && a > _sessionTtl ? a : _sessionTtl;
        // Never so slow that the local deadline (GrantedTtl) could pass between two renewals.
        return ttl < GrantedTtl ? ttl / 3 : GrantedTtl / 3;
    }
}
