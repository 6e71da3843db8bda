using System.Threading.Channels;

namespace DockerNetPlugin.Store.Local;

/// <summary>
/// One prefix watcher of <see cref="FileKvStore"/>: a bounded buffer the publisher never waits on.
/// When it overflows the watcher is marked and later resynced from a fresh list.
/// All members except the consumer's reads are called under the store's publish lock.
/// </summary>
internal sealed class FileWatchSubscriber
{
    private readonly Channel<WatchEvent> _events;
    private volatile bool _overflowed;

    public FileWatchSubscriber(string prefix, int capacity)
    {
        Prefix = prefix;
        _events = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Prefix { get; }

    /// <summary>Events at or below this revision are already covered (by a snapshot or the resume point).</summary>
    public ulong Cursor { get; set; }

    public bool Overflowed => _overflowed;
    public ChannelReader<WatchEvent> Reader => _events.Reader;

    public void Offer(WatchEvent e)
    {
        if (_overflowed || e.Revision <= Cursor)
            return;
        var key = e switch
        {
            KvPut p => p.Entry.Key,
            KvDeleted d => d.Key,
            _ => null,
        };
        if (key is null || !KvRequest.IsUnder(key, Prefix))
            return;
        if (!_events.Writer.TryWrite(e))
            _overflowed = true;
    }

    /// <summary>Drops everything buffered and starts again after <paramref name="revision"/>.</summary>
    public void Reset(ulong revision)
    {
        while (_events.Reader.TryRead(out _))
        {
        }
        _overflowed = false;
        Cursor = revision;
    }

    public void Complete() => _events.Writer.TryComplete();
}
