using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Writes this host's endpoint records to the cluster store off the plugin calls' path, so Join, Leave and
/// DeleteEndpoint never wait on the store longer than they choose to (<see cref="DriverOptions.StoreCallTimeout"/>).
/// Per key only the latest intent counts (publish or withdraw) and one write of a key runs at a time, keys
/// independently of each other; a write that fails or does not finish within the attempt timeout is retried with
/// backoff (0.5 s doubling to 5 s) until the store takes it.
/// A withdraw is durable: its mark goes into the local state dir before the call returns and is removed only once the
/// store confirmed the delete, so one left while the store was out is done after a restart too. A publish needs no
/// mark: a joined endpoint is in the local state dir, and a start publishes every joined endpoint again.
/// </summary>
internal sealed class EndpointPublisher : IAsyncDisposable
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(5);

    private readonly LeaseKeeper _lease;
    private readonly RecordStore _local;
    private readonly TimeSpan _attemptTimeout;
    private readonly ILogger _logger;
    private readonly object _gate = new(); // bottom level: guards _pending, _inFlight, _marked, _attempts and _wake; never held across an await
    private readonly Dictionary<string, Intent> _pending = new(StringComparer.Ordinal); // cluster key → latest intent not yet in the store
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<string> _marked = new(StringComparer.Ordinal); // cluster keys with a withdraw mark in the local state dir
    private readonly SemaphoreSlim _marks = new(1, 1); // orders mark writes and deletes with the intents they belong to (local I/O only)
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = NewSignal();
    private readonly HashSet<Task> _attempts = [];
    private Task? _loop;

    public EndpointPublisher(LeaseKeeper lease, RecordStore local, TimeSpan attemptTimeout, ILogger logger)
    {
        _lease = lease;
        _local = local;
        _attemptTimeout = attemptTimeout;
        _logger = logger;
    }

    /// <summary>Intents not yet confirmed by the store (tests and diagnostics).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    /// <summary>
    /// Resume the withdraws the previous run left (except of endpoints <paramref name="joined"/> again) and start writing.
    /// </summary>
    public async Task StartAsync(Func<string, string, bool> joined, CancellationToken ct)
    {
        var marks = await _local.ListAsync(ClusterKeys.LocalWithdrawsPrefix, DriverJsonContext.Default.PendingWithdraw, ct).ConfigureAwait(false);
        var resumed = 0;
        foreach (var mark in marks)
        {
            var (network, endpoint) = (mark.Value.NetworkId, mark.Value.EndpointId);
            if (joined(network, endpoint))
            {
                await _local.DeleteAsync(ClusterKeys.LocalWithdraw(network, endpoint), ct).ConfigureAwait(false);
                continue;
            }
            lock (_gate)
                _marked.Add(ClusterKeys.Endpoint(network, endpoint));
            _ = Enqueue(new Intent(network, endpoint, null)); // nobody waits on a resumed withdraw
            resumed++;
        }
        if (resumed > 0)
            DriverLog.WithdrawsResumed(_logger, resumed);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>
    /// Publish an endpoint record under this host's lease. The task completes once the store has it, a later intent
    /// replaced it, or the first attempt failed (the write is retried in the background regardless).
    /// </summary>
    public async Task<Task> PublishAsync(string networkId, string endpointId, ReadOnlyMemory<byte> record, CancellationToken ct)
    {
        var key = ClusterKeys.Endpoint(networkId, endpointId);
        await _marks.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            bool marked;
            lock (_gate)
                marked = _marked.Contains(key);
            if (marked)
            {
                await _local.DeleteAsync(ClusterKeys.LocalWithdraw(networkId, endpointId), ct).ConfigureAwait(false); // wanted again
                lock (_gate)
                    _marked.Remove(key);
            }
            return Enqueue(new Intent(networkId, endpointId, record));
        }
        finally
        {
            _marks.Release();
        }
    }

    /// <summary>
    /// Withdraw an endpoint record: marked in the local state dir before this returns, deleted from the store as soon as
    /// it answers. The task completes once the store confirmed it, a later intent replaced it, or the first attempt failed.
    /// </summary>
    public async Task<Task> WithdrawAsync(string networkId, string endpointId, CancellationToken ct)
    {
        var key = ClusterKeys.Endpoint(networkId, endpointId);
        _lease.Disown(key); // a lease renewal meanwhile must not write it again
        await _marks.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _local.PutAsync(ClusterKeys.LocalWithdraw(networkId, endpointId), new PendingWithdraw(networkId, endpointId),
                DriverJsonContext.Default.PendingWithdraw, null, ct).ConfigureAwait(false);
            lock (_gate)
                _marked.Add(key);
            return Enqueue(new Intent(networkId, endpointId, null));
        }
        finally
        {
            _marks.Release();
        }
    }

    private Task Enqueue(Intent intent)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(intent.Key, out var older) && !_inFlight.Contains(intent.Key))
                older.Answered.TrySetResult(); // never written: the new intent replaces it
            _pending[intent.Key] = intent;
            _wake.TrySetResult();
            _wake = NewSignal();
        }
        return intent.Answered.Task;
    }

    /// <summary>
    /// Starts an attempt for every intent that is due and not in flight, each on its own (a write that hangs holds up
    /// no other key), and sleeps until a new intent, a finished attempt or the next retry is due.
    /// </summary>
    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            List<Intent> due;
            Task wake;
            DateTime? next;
            lock (_gate)
            {
                due = _pending.Values.Where(i => !_inFlight.Contains(i.Key) && i.NotBefore <= now).ToList();
                foreach (var intent in due)
                    _inFlight.Add(intent.Key);
                var waiting = _pending.Values.Where(i => !_inFlight.Contains(i.Key)).Select(i => i.NotBefore).ToList();
                next = waiting.Count == 0 ? null : waiting.Min();
                wake = _wake.Task;
            }
            foreach (var intent in due)
                Track(AttemptAsync(intent));
            try
            {
                if (next is { } at)
                    await Task.WhenAny(wake, Task.Delay(at > now ? at - now : TimeSpan.Zero, _stop.Token)).ConfigureAwait(false);
                else
                    await wake.WaitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Track(Task attempt)
    {
        lock (_gate)
            _attempts.Add(attempt);
        attempt.ContinueWith(done =>
        {
            lock (_gate)
            {
                _attempts.Remove(done);
                _wake.TrySetResult(); // the key is free again: a newer intent for it may be due
                _wake = NewSignal();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task AttemptAsync(Intent intent)
    {
        await Task.Yield();
        if (!await WriteAsync(intent).ConfigureAwait(false))
        {
            var backoff = Math.Min(s_firstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(intent.Attempts - 1, 10)), s_maxRetry.TotalMilliseconds);
            intent.NotBefore = DateTime.UtcNow + TimeSpan.FromMilliseconds(backoff);
        }
    }

    /// <summary>One attempt at one intent; true when the store took it.</summary>
    private async Task<bool> WriteAsync(Intent intent)
    {
        var what = intent.Record is null ? "withdraw" : "publish";
        var written = false;
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            attempt.CancelAfter(_attemptTimeout);
            try
            {
                if (intent.Record is { } record)
                    await _lease.PutAsync(intent.Key, record, attempt.Token).ConfigureAwait(false);
                else
                    await _lease.DeleteAsync(intent.Key, attempt.Token).ConfigureAwait(false);
                written = true;
            }
            catch (Exception e) when (e is StoreException || (e is OperationCanceledException && !_stop.IsCancellationRequested))
            {
                intent.Answered.TrySetResult(); // a store that refuses now will not take it within the caller's wait
                if (intent.Attempts++ == 0)
                    DriverLog.RecordWriteDeferred(_logger, what, intent.Key, _attemptTimeout.TotalSeconds,
                        e is StoreException ? e.Message : $"no answer within {_attemptTimeout.TotalSeconds:0.#} s");
            }
            catch (OperationCanceledException)
            {
                // stopping: a withdraw keeps its mark for the next start, a publish is redone by it
            }
            if (written)
                await SettleAsync(intent).ConfigureAwait(false);
            if (written && intent.Attempts > 0)
                DriverLog.RecordWriteCaughtUp(_logger, what, intent.Key);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(intent.Key);
                var current = _pending.TryGetValue(intent.Key, out var latest) && ReferenceEquals(latest, intent);
                if (!current)
                    intent.Answered.TrySetResult(); // replaced while in flight: the newer intent is written next
            }
        }
        return written;
    }

    /// <summary>The store took the intent: drop it, and the withdraw mark with it, unless a newer intent replaced it meanwhile.</summary>
    private async Task SettleAsync(Intent intent)
    {
        await _marks.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            bool current, marked;
            lock (_gate)
            {
                current = _pending.TryGetValue(intent.Key, out var latest) && ReferenceEquals(latest, intent);
                marked = _marked.Contains(intent.Key);
            }
            if (!current)
                return;
            if (intent.Record is null && marked)
            {
                try
                {
                    await _local.DeleteAsync(ClusterKeys.LocalWithdraw(intent.NetworkId, intent.EndpointId), CancellationToken.None).ConfigureAwait(false);
                }
                catch (StoreException e)
                {
                    DriverLog.RecordWriteDeferred(_logger, "clearing the withdraw mark", intent.Key, 0, e.Message); // the next start withdraws it once more
                }
                lock (_gate)
                    _marked.Remove(intent.Key);
            }
            lock (_gate)
                _pending.Remove(intent.Key);
            intent.Answered.TrySetResult();
        }
        finally
        {
            _marks.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        Task[] attempts;
        lock (_gate)
            attempts = [.. _attempts];
        await Task.WhenAll(attempts).ConfigureAwait(false); // each ends at once: its token is linked to the stop
        lock (_gate)
        {
            foreach (var intent in _pending.Values)
                intent.Answered.TrySetResult(); // nobody waits past a stop; marks and joined endpoints carry the rest to the next start
        }
        _stop.Dispose();
        _marks.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Intent(string networkId, string endpointId, ReadOnlyMemory<byte>? record)
    {
        public string NetworkId { get; } = networkId;
        public string EndpointId { get; } = endpointId;
        public string Key { get; } = ClusterKeys.Endpoint(networkId, endpointId);
        public ReadOnlyMemory<byte>? Record { get; } = record;
        /// <summary>Completes when the store took the intent, a newer one replaced it, or the first attempt failed: the caller stops waiting, the writer keeps at it.</summary>
        public TaskCompletionSource Answered { get; } = NewSignal();
        public int Attempts { get; set; }
        public DateTime NotBefore { get; set; } = DateTime.MinValue;
    }
}
