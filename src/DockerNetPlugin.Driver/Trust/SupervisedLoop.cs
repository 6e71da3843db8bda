using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// Runs one named background loop so that it cannot die: any exception from its body (whatever the type) is logged
/// with its stack, the loop waits out a <see cref="BackoffPolicy"/> delay and starts the body again. A body that
/// returns while not stopped is treated the same way (a loop is meant to run until cancelled). Cancelling the token
/// passed to the body is the only way it ends: <see cref="DisposeAsync"/> does that and waits for the body.
/// </summary>
public sealed class SupervisedLoop : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _body;
    private readonly BackoffPolicy _backoff;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();

    // Guards the health fields below. Bottom level: nothing else is taken, nothing awaited or logged under it.
    private readonly Lock _gate = new();
    private LoopState _state = LoopState.Stopped;
    private int _restarts;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _retryAt;
    private Task? _run;

    public SupervisedLoop(string name, Func<CancellationToken, Task> body, ILogger logger, BackoffPolicy? backoff = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        _body = body;
        _logger = logger;
        _backoff = backoff ?? BackoffPolicy.Default;
        _time = time ?? TimeProvider.System;
    }

    public string Name { get; }

    public LoopHealth Health
    {
        get
        {
            lock (_gate)
                return new LoopHealth(Name, _state, _restarts, _lastError, _lastErrorAt, _state == LoopState.Restarting ? _retryAt : null);
        }
    }

    /// <summary>Starts the loop on the thread pool (once).</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            if (_run is not null)
                throw new InvalidOperationException($"loop {Name} is already started");
            _state = LoopState.Running;
            _run = Task.Run(() => SuperviseAsync(_stop.Token));
        }
    }

    private async Task SuperviseAsync(CancellationToken ct)
    {
        var consecutive = 0;
        while (!ct.IsCancellationRequested)
        {
            var started = _time.GetUtcNow();
            Exception? failure = null;
            try
            {
                await _body(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failure = e;
            }
            if (ct.IsCancellationRequested)
                break;

            var now = _time.GetUtcNow();
            consecutive = now - started >= _backoff.HealthyAfter ? 1 : consecutive + 1;
            var delay = _backoff.Delay(consecutive);
            int restarts;
            lock (_gate)
            {
                restarts = ++_restarts;
                _lastError = failure is null ? "the loop ended without being stopped" : $"{failure.GetType().Name}: {failure.Message}";
                _lastErrorAt = now;
            }
            if (failure is null)
                TrustLog.LoopEnded(_logger, Name, restarts, delay.TotalSeconds);
            else
                TrustLog.LoopFailed(_logger, Name, restarts, delay.TotalSeconds, failure);

            // The wait exists (its timer is armed) before the state says Restarting, so whoever sees Restarting may advance time.
            var wait = Task.Delay(delay, _time, ct);
            lock (_gate)
            {
                _state = LoopState.Restarting;
                _retryAt = now + delay;
            }
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            lock (_gate)
                _state = LoopState.Running;
            TrustLog.LoopRestarted(_logger, Name, restarts);
        }
        lock (_gate)
            _state = LoopState.Stopped;
    }

    /// <summary>Cancels the body's token and waits until the body and the supervision have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? run;
        lock (_gate)
            run = _run;
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync().ConfigureAwait(false);
        if (run is not null)
            await run.ConfigureAwait(false);
        lock (_gate)
            _state = LoopState.Stopped;
    }
}
