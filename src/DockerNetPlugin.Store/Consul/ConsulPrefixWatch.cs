using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store.Consul;

/// <summary>
/// One prefix watch as a blocking-query loop (kv.md §4.4, Consul): each answer is the whole prefix, diffed against
/// what was last reported into <see cref="KvDeleted"/> then <see cref="KvPut"/> events (puts in ModifyIndex order). Starts with <see cref="KvResync"/>;
/// an index that goes backwards (snapshot restore, tombstone reaping, a wiped server) or a key whose
/// ModifyIndex goes backwards resets the cursor and sends <see cref="KvResync"/> again. Index 0 is raised to 1 so
/// the next query blocks; a token bucket bounds the request rate whatever the server answers; failures back off
/// with full jitter and never end the enumeration.
/// </summary>
internal sealed class ConsulPrefixWatch(
    string prefix,
    Func<string, ulong?, CancellationToken, Task<(IReadOnlyList<KvEntry> Entries, ulong Index)>> list,
    ConsulOptions options,
    ILogger logger,
    TimeProvider time)
{
    private readonly Dictionary<string, KvEntry> _known = new(StringComparer.Ordinal);
    private ulong _index;
    private bool _resyncNeeded = true;

    public async IAsyncEnumerable<WatchEvent> RunAsync([EnumeratorCancellation] CancellationToken ct, CancellationToken storeDisposed)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, storeDisposed);
        var token = linked.Token;
        var bucket = new TokenBucket(options.WatchBurst, options.WatchRefillInterval, time);
        var backoff = new JitteredBackoff(options.WatchErrorInitialDelay, options.WatchErrorMaxDelay);
        while (!token.IsCancellationRequested)
        {
            var answer = await PollAsync(bucket, backoff, token).ConfigureAwait(false);
            if (answer is null)
                yield break;
            foreach (var e in Apply(answer.Value.Entries, answer.Value.Index))
                yield return e;
        }
    }

    /// <summary>One successful query, retrying failures with backoff; null once cancelled.</summary>
    private async Task<(IReadOnlyList<KvEntry> Entries, ulong Index)?> PollAsync(TokenBucket bucket, JitteredBackoff backoff, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await bucket.TakeAsync(ct).ConfigureAwait(false);
                // The first query (and the one after a reset) does not block: index 0 means "answer now".
                var answer = await list(prefix, _index == 0 ? null : _index, ct).ConfigureAwait(false);
                backoff.Reset();
                return answer;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return null;
            }
            catch (StoreException e)
            {
                var delay = backoff.Next();
                ConsulLog.WatchFailed(logger, prefix, (long)delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>The events that take a consumer from what was reported to <paramref name="entries"/>.</summary>
    internal IReadOnlyList<WatchEvent> Apply(IReadOnlyList<KvEntry> entries, ulong rawIndex)
    {
        var index = Math.Max(rawIndex, 1);
        // Compare the sanitised index: a server answering 0 to a cursor of 1 has not gone backwards.
        if (_index > 0 && index < _index)
        {
            ConsulLog.WatchIndexReset(logger, prefix, _index, rawIndex);
            _resyncNeeded = true;
        }
        if (!_resyncNeeded && entries.Any(e => _known.TryGetValue(e.Key, out var old) && e.Version < old.Version))
            _resyncNeeded = true;

        IReadOnlyList<WatchEvent> events;
        if (_resyncNeeded)
        {
            events = [new KvResync(new KvSnapshot(entries, index))];
            _resyncNeeded = false;
        }
        else
        {
            // Deletes first: Consul does not say when a key vanished, so it may precede any put of this batch,
            // and a consumer waiting for the newest put must have seen every delete by then.
            var current = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            events = _known.Keys.Where(k => !current.Contains(k)).Order(StringComparer.Ordinal)
                .Select(k => (WatchEvent)new KvDeleted(k, index))
                .Concat(entries
                    .Where(e => !_known.TryGetValue(e.Key, out var old) || old.Version != e.Version)
                    .OrderBy(e => e.Version)
                    .Select(e => new KvPut(e, e.Version)))
                .ToList();
        }
        _known.Clear();
        foreach (var e in entries)
            _known[e.Key] = e;
        _index = index;
        return events;
    }
}
