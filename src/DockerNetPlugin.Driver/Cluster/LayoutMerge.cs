using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Readers' side of the two key layouts (<see cref="ClusterKeys"/>): what the store holds of one <see cref="OwnedKind"/>
/// in the legacy prefix and in <c>by-host/</c>, merged to one entry per logical key. A record may be there twice (a
/// host writes both layouts while some live host still reads only the legacy one) or once in either; readers see
/// one. The copy used is a by-host one when there is any (the first created, see <see cref="Pick"/>), else the
/// legacy one; its real key is kept, so the validator checks the by-host key's host segment against the record.
/// A key under the legacy prefix that is no key of the kind (malformed) is passed on as it is, so the validator
/// reports it; a malformed key under <c>by-host/</c> goes to the endpoint readers for the same reason.
/// <para>
/// As a watch (<see cref="WatchAsync"/>): one store watch per layout, merged. A copy that comes or goes while
/// another with the same bytes stays changes nothing for the reader (no event): a host moving its records from one
/// layout to the other, or writing both, is invisible; a record is deleted for the reader when its last copy goes.
/// A resync of either layout is a resync of the merged state, sent once both layouts have been read.
/// </para>
/// </summary>
internal sealed class LayoutMerge
{
    private const int Legacy = 0;
    private const int ByHost = 1;

    private readonly OwnedKind _kind;
    // logical key → physical key → entry (both layouts). Owned by the one loop that feeds Apply.
    private readonly Dictionary<string, SortedDictionary<string, KvEntry>> _copies = new(StringComparer.Ordinal);
    private readonly bool[] _synced = new bool[2];
    private ulong _revision;

    public LayoutMerge(OwnedKind kind) => _kind = kind;

    /// <summary>A list of both layouts of <paramref name="kind"/>: the effective entries, sorted by key.</summary>
    public static async Task<IReadOnlyList<KvEntry>> ListAsync(IKvStore store, OwnedKind kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var legacy = store.ListAsync(OwnedKey.LegacyPrefix(kind), ct);
        var byHost = store.ListAsync(ClusterKeys.ByHostPrefix, ct);
        var merge = new LayoutMerge(kind);
        merge.Apply(Legacy, new KvResync(await legacy.ConfigureAwait(false)));
        return ((KvResync)merge.Apply(ByHost, new KvResync(await byHost.ConfigureAwait(false)))[0]).Snapshot.Entries;
    }

    /// <summary>
    /// The record behind a host-owned logical key, from either layout (the by-host copy first). An endpoint key needs
    /// <paramref name="owner"/> to find its by-host copy; without it only the legacy copy is read.
    /// </summary>
    public static async Task<KvEntry?> GetAsync(IKvStore store, string logicalKey, string? owner, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = OwnedKey.TryParse(logicalKey) ?? throw new ArgumentException($"{logicalKey} is not a host-owned key", nameof(logicalKey));
        if ((owner ?? key.HostId) is { } host && await store.GetAsync(key.ByHostKey(host), ct).ConfigureAwait(false) is { } copy)
            return copy;
        return await store.GetAsync(key.Logical, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Both layouts of <paramref name="kind"/> watched and merged (see the type). Ends with <paramref name="ct"/> or a store
    /// failure. <paramref name="raw"/>, when given, sees every event of either layout as the store sent it, with the prefix
    /// watched, before the merge (the record restorer: a copy that goes while another stays is news to its owner).
    /// </summary>
    public static async IAsyncEnumerable<WatchEvent> WatchAsync(IKvStore store, OwnedKind kind, [EnumeratorCancellation] CancellationToken ct,
        Action<WatchEvent, string>? raw = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var events = Channel.CreateBounded<(int Source, WatchEvent Event)>(new BoundedChannelOptions(1024) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task PumpAsync(int source, string prefix)
        {
            try
            {
                await foreach (var ev in store.WatchPrefixAsync(prefix, 0, stop.Token).ConfigureAwait(false))
                    await events.Writer.WriteAsync((source, ev), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                events.Writer.TryComplete(e); // the reader throws it; the consumer's loop starts over
            }
        }
        var pumps = new[] { PumpAsync(Legacy, OwnedKey.LegacyPrefix(kind)), PumpAsync(ByHost, ClusterKeys.ByHostPrefix) };
        var merge = new LayoutMerge(kind);
        try
        {
            await foreach (var (source, ev) in events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                raw?.Invoke(ev, source == Legacy ? OwnedKey.LegacyPrefix(kind) : ClusterKeys.ByHostPrefix);
                foreach (var merged in merge.Apply(source, ev))
                    yield return merged;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pumps).ConfigureAwait(false);
        }
    }

    /// <summary>One event of one layout (0 legacy, 1 by-host): the events the merged reader sees.</summary>
    public IReadOnlyList<WatchEvent> Apply(int source, WatchEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        _revision = Math.Max(_revision, ev.Revision);
        switch (ev)
        {
            case KvResync resync:
                foreach (var copies in _copies.Values)
                {
                    foreach (var key in copies.Keys.Where(k => SourceOf(k) == source).ToList())
                        copies.Remove(key);
                }
                foreach (var entry in resync.Snapshot.Entries)
                {
                    if (LogicalOf(source, entry.Key) is { } logical)
                        CopiesOf(logical)[entry.Key] = entry;
                }
                foreach (var empty in _copies.Where(kv => kv.Value.Count == 0).Select(kv => kv.Key).ToList())
                    _copies.Remove(empty);
                _synced[source] = true;
                return _synced[Legacy] && _synced[ByHost] ? [new KvResync(new KvSnapshot(Effective(), _revision))] : [];
            case KvPut put when LogicalOf(source, put.Entry.Key) is { } logical:
            {
                var before = EffectiveOf(logical);
                CopiesOf(logical)[put.Entry.Key] = put.Entry;
                var after = EffectiveOf(logical)!;
                if (!Ready)
                    return [];
                var written = before is null || (before.Key == after.Key
                    ? before.Version != after.Version || !before.Value.Span.SequenceEqual(after.Value.Span) // the copy in use was written
                    : !before.Value.Span.SequenceEqual(after.Value.Span)); // another copy is used now: news only if it says something else
                return written ? [new KvPut(after, put.Revision)] : [];
            }
            case KvDeleted deleted when LogicalOf(source, deleted.Key) is { } logical:
            {
                var before = EffectiveOf(logical);
                if (!_copies.TryGetValue(logical, out var copies) || !copies.Remove(deleted.Key))
                    return [];
                var after = EffectiveOf(logical);
                if (after is null)
                {
                    _copies.Remove(logical);
                    return Ready ? [new KvDeleted(deleted.Key, deleted.Revision)] : [];
                }
                return Ready && !before!.Value.Span.SequenceEqual(after.Value.Span) ? [new KvPut(after, deleted.Revision)] : [];
            }
            case KvProgress progress:
                return Ready ? [progress] : [];
            default:
                return [];
        }
    }

    private bool Ready => _synced[Legacy] && _synced[ByHost];

    private SortedDictionary<string, KvEntry> CopiesOf(string logical)
    {
        if (!_copies.TryGetValue(logical, out var copies))
            _copies[logical] = copies = new SortedDictionary<string, KvEntry>(StringComparer.Ordinal);
        return copies;
    }

    private KvEntry? EffectiveOf(string logical) => _copies.TryGetValue(logical, out var copies) ? Pick(copies) : null;

    private List<KvEntry> Effective() =>
        _copies.Values.Select(Pick).OfType<KvEntry>().OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The copy readers use: a by-host one, else the legacy one. Two by-host copies of one record are two hosts claiming
    /// the same endpoint id: the one created first is used (create versions are store-wide revisions on every backend,
    /// so every reader picks the same), so a host cannot shadow another host's record by writing a copy under its own
    /// segment later; the key decides a tie.
    /// </summary>
    private static KvEntry? Pick(SortedDictionary<string, KvEntry> copies)
    {
        KvEntry? legacy = null;
        KvEntry? byHost = null;
        foreach (var (key, entry) in copies)
        {
            if (SourceOf(key) != ByHost)
                legacy ??= entry;
            else if (byHost is null || entry.CreateVersion < byHost.CreateVersion)
                byHost = entry;
        }
        return byHost ?? legacy;
    }

    private static int SourceOf(string key) => key.StartsWith(ClusterKeys.ByHostPrefix, StringComparison.Ordinal) ? ByHost : Legacy;

    /// <summary>The logical key an entry of <paramref name="source"/> counts under, or null when it is not this reader's kind.</summary>
    private string? LogicalOf(int source, string key)
    {
        var parsed = OwnedKey.TryParse(key);
        if (parsed is not null)
            return parsed.Kind == _kind ? parsed.Logical : null;
        // Malformed: reported by the legacy prefix's reader, or (under by-host/) by the endpoint reader.
        return source == Legacy || _kind == OwnedKind.Endpoint ? key : null;
    }
}
