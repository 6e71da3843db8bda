using System.Runtime.CompilerServices;

namespace DockerNetPlugin.Store.Local;

public sealed partial class FileKvStore
{
    /// <summary>Guards the event history and the watcher list. Taken after <see cref="_flushLock"/>, before <see cref="_gate"/>.</summary>
    private readonly Lock _publishGate = new();
    private readonly Queue<WatchEvent> _history;
    /// <summary>Every durable event above this revision is in <see cref="_history"/>.</summary>
    private ulong _historyFloor;
    private readonly List<FileWatchSubscriber> _subscribers = [];

    public async IAsyncEnumerable<WatchEvent> WatchPrefixAsync(string prefix, ulong fromRevision, [EnumeratorCancellation] CancellationToken ct)
    {
        KvRequest.ValidatePrefix(prefix);
        var sub = new FileWatchSubscriber(prefix, _options.WatchBuffer);
        KvSnapshot? initial;
        lock (_publishGate)
        {
            initial = Subscribe(sub, fromRevision);
            _subscribers.Add(sub);
        }
        try
        {
            if (initial is not null)
                yield return new KvResync(initial);
            while (!ct.IsCancellationRequested)
            {
                if (sub.Overflowed)
                {
                    FileKvStoreLog.WatcherResynced(_log, prefix);
                    KvSnapshot snapshot;
                    lock (_publishGate)
                    {
                        snapshot = ListCore(prefix);
                        sub.Reset(snapshot.Revision);
                    }
                    yield return new KvResync(snapshot);
                    continue;
                }
                if (sub.Reader.TryRead(out var e))
                {
                    yield return e;
                    continue;
                }
                bool more;
                try
                {
                    more = await sub.Reader.WaitToReadAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    yield break;
                }
                if (!more)
                    throw new ObjectDisposedException(nameof(FileKvStore), $"embedded store {_dir.Path} was closed while watching '{prefix}'");
            }
        }
        finally
        {
            lock (_publishGate)
                _subscribers.Remove(sub);
        }
    }

    /// <summary>Resumes from history when it covers <paramref name="fromRevision"/>, else returns the snapshot to start with. Caller holds <see cref="_publishGate"/>.</summary>
    private KvSnapshot? Subscribe(FileWatchSubscriber sub, ulong fromRevision)
    {
        if (fromRevision > 0 && fromRevision >= _historyFloor)
        {
            sub.Cursor = fromRevision;
            foreach (var e in _history)
                sub.Offer(e);
            return null;
        }
        var snapshot = ListCore(sub.Prefix);
        sub.Reset(snapshot.Revision);
        return snapshot;
    }

    /// <summary>Hands durable events to history and watchers, never waiting on a watcher. Caller holds <see cref="_flushLock"/>.</summary>
    private void Publish(List<WatchEvent> events)
    {
        lock (_publishGate)
        {
            foreach (var e in events)
            {
                _history.Enqueue(e);
                while (_history.Count > _options.WatchHistory)
                    _historyFloor = _history.Dequeue().Revision;
            }
            foreach (var sub in _subscribers)
            {
                foreach (var e in events)
                    sub.Offer(e);
            }
        }
    }

    /// <summary>Test hook (the embedded counterpart of etcd compaction): forgets the event history, so older revisions resync.</summary>
    internal void DropWatchHistory()
    {
        lock (_publishGate)
        {
            _history.Clear();
            lock (_gate)
                _historyFloor = _revision;
        }
    }
}
