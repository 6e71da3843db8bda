using System.Threading.Channels;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// Consumes a prefix watch in the background and keeps the state a level-triggered consumer would
/// rebuild from it (a resync replaces everything). Tests wait on that state with a bound.
/// </summary>
public sealed class WatchProbe : IAsyncDisposable
{
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();
    private readonly CancellationTokenSource _cts = new();
    private readonly TimeSpan _patience;
    private Task _pump = Task.CompletedTask;

    private WatchProbe(TimeSpan patience) => _patience = patience;

    /// <summary>Every event consumed so far, in order.</summary>
    public List<WatchEvent> Seen { get; } = [];

    /// <summary>The state rebuilt from <see cref="Seen"/>.</summary>
    public Dictionary<string, KvEntry> State { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when the watch enumeration ended (normally only after cancellation).</summary>
    public Task Completion => _pump;

    public static WatchProbe Start(IKvStore store, string prefix, ulong fromRevision, TimeSpan patience)
    {
        var probe = new WatchProbe(patience);
        probe._pump = Task.Run(() => probe.PumpAsync(store, prefix, fromRevision));
        return probe;
    }

    /// <summary>The next event (applied to <see cref="State"/>), or a failure naming <paramref name="what"/>.</summary>
    public async Task<WatchEvent> NextAsync(string what)
    {
        using var timeout = new CancellationTokenSource(_patience);
        try
        {
            if (!await _events.Reader.WaitToReadAsync(timeout.Token))
            {
                await _pump; // surfaces the watch's exception, if any
                throw new Xunit.Sdk.XunitException($"the watch ended while waiting for {what}");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"no watch event within {_patience.TotalSeconds} s while waiting for {what}; seen: {Describe()}");
        }
        _events.Reader.TryRead(out var e);
        Apply(e!);
        return e!;
    }

    /// <summary>Consumes events until <paramref name="condition"/> holds for <see cref="State"/>.</summary>
    public async Task UntilAsync(Func<IReadOnlyDictionary<string, KvEntry>, bool> condition, string what)
    {
        while (!condition(State))
            await NextAsync(what);
    }

    /// <summary>Consumes events until one matches.</summary>
    public async Task<T> UntilEventAsync<T>(Func<T, bool> match, string what) where T : WatchEvent
    {
        while (true)
        {
            if (await NextAsync(what) is T e && match(e))
                return e;
        }
    }

    public string Describe() => string.Join(", ", Seen.Select(e => e switch
    {
        KvPut p => $"put {p.Entry.Key}@{p.Entry.Version}",
        KvDeleted d => $"del {d.Key}@{d.Revision}",
        KvResync r => $"resync[{r.Snapshot.Entries.Count}]@{r.Revision}",
        _ => $"progress@{e.Revision}",
    }));

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _pump.WaitAsync(_patience);
        }
        catch (OperationCanceledException)
        {
        }
        _cts.Dispose();
    }

    private void Apply(WatchEvent e)
    {
        Seen.Add(e);
        switch (e)
        {
            case KvResync r:
                State.Clear();
                foreach (var entry in r.Snapshot.Entries)
                    State[entry.Key] = entry;
                break;
            case KvPut p:
                State[p.Entry.Key] = p.Entry;
                break;
            case KvDeleted d:
                State.Remove(d.Key);
                break;
        }
    }

    private async Task PumpAsync(IKvStore store, string prefix, ulong fromRevision)
    {
        try
        {
            await foreach (var e in store.WatchPrefixAsync(prefix, fromRevision, _cts.Token))
                await _events.Writer.WriteAsync(e);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
