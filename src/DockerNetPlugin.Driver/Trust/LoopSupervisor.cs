using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// Owns the driver's background loops (peer watch, reconciler, replication, lease keeper, miss responders…): starts
/// each as a <see cref="SupervisedLoop"/>, reports their health together for <c>dnp status</c>, stops them all at shutdown.
/// </summary>
public sealed class LoopSupervisor : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly BackoffPolicy _backoff;
    private readonly TimeProvider _time;

    // Guards _loops and _disposed. Above SupervisedLoop's gate (Start takes it); loops are stopped and awaited outside it.
    private readonly Lock _gate = new();
    private readonly List<SupervisedLoop> _loops = [];
    private bool _disposed;

    public LoopSupervisor(ILogger logger, BackoffPolicy? backoff = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _backoff = backoff ?? BackoffPolicy.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Starts <paramref name="body"/> under supervision as loop <paramref name="name"/> (names are unique among running loops).</summary>
    public SupervisedLoop Start(string name, Func<CancellationToken, Task> body)
    {
        var loop = new SupervisedLoop(name, body, _logger, _backoff, _time);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loops.Any(l => l.Name == name))
                throw new InvalidOperationException($"a loop named {name} is already supervised");
            _loops.Add(loop);
            loop.Start();
        }
        return loop;
    }

    /// <summary>Stops and forgets one loop (a per-network loop whose network went away).</summary>
    public async Task StopAsync(SupervisedLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        lock (_gate)
            _loops.Remove(loop);
        await loop.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Every supervised loop's health, by name.</summary>
    public IReadOnlyList<LoopHealth> Health()
    {
        lock (_gate)
            return _loops.Select(l => l.Health).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        List<SupervisedLoop> loops;
        lock (_gate)
        {
            _disposed = true;
            loops = [.. _loops];
            _loops.Clear();
        }
        foreach (var loop in loops)
            await loop.DisposeAsync().ConfigureAwait(false);
    }
}
