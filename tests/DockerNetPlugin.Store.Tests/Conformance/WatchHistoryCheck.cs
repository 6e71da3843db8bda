using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// Follows a watch of a <see cref="WriteHistory"/> prefix and fails on the first silent gap. Exact-history backends
/// (etcd, embedded) must report every write, in order, or say <see cref="KvResync"/>; level-triggered ones (Consul)
/// may skip intermediate values but must move each key only forward and report only deletes that happened. Every
/// resync must be a state the writes really passed through, never an older one.
/// </summary>
public sealed class WatchHistoryCheck(WriteHistory history, bool exact)
{
    private readonly Dictionary<string, int> _state = new(StringComparer.Ordinal);
    // Per key: the number of the newest write reported for it (put or delete); later events must be newer.
    private readonly Dictionary<string, int> _newest = new(StringComparer.Ordinal);

    /// <summary>How many writes the events so far account for (exact: the next event must report this write).</summary>
    public int Position { get; private set; }

    public int Resyncs { get; private set; }

    /// <summary>The consumer's state equals the state after the last write.</summary>
    public bool CaughtUp =>
        _state.Count == history.FinalState.Count && history.FinalState.All(kv => _state.TryGetValue(kv.Key, out var n) && n == kv.Value)
        && (!exact || Position == history.Writes.Count);

    public void Apply(WatchEvent e)
    {
        switch (e)
        {
            case KvResync r:
                ApplyResync(r);
                break;
            case KvPut p:
                ApplyPut(p.Entry.Key, WriteHistory.NumberOf(p.Entry.Value));
                break;
            case KvDeleted d:
                ApplyDelete(d.Key);
                break;
        }
    }

    private void ApplyResync(KvResync r)
    {
        var state = r.Snapshot.Entries.ToDictionary(x => x.Key, x => WriteHistory.NumberOf(x.Value), StringComparer.Ordinal);
        var position = history.PositionOf(state);
        Assert.True(position >= 0, $"a resync delivered a state the writes never passed through ({state.Count} keys)");
        Assert.True(position >= Position, $"a resync went back from write {Position} to write {position}");
        Resyncs++;
        Position = position;
        _state.Clear();
        foreach (var (key, number) in state)
        {
            _state[key] = number;
            _newest[key] = number;
        }
    }

    private void ApplyPut(string key, int number)
    {
        var write = history.Writes[number];
        Assert.True(write.Key == key && !write.IsDelete, $"put of {key} carries value {number}, which write {number} did not put there");
        if (exact)
        {
            Assert.True(number == Position, $"gap: the watch reported write {number} (put {key}) while write {Position} was never reported");
            Position++;
        }
        else
        {
            Assert.True(number > _newest.GetValueOrDefault(key, -1), $"{key} went back to write {number} after write {_newest.GetValueOrDefault(key, -1)}");
            Position = Math.Max(Position, number + 1);
        }
        _newest[key] = number;
        _state[key] = number;
    }

    private void ApplyDelete(string key)
    {
        if (exact)
        {
            Assert.True(Position < history.Writes.Count, $"delete of {key} after every write was already reported");
            var write = history.Writes[Position];
            Assert.True(write.IsDelete && write.Key == key, $"gap: the watch reported a delete of {key} while write {Position} ({(write.IsDelete ? "delete" : "put")} {write.Key}) was never reported");
            _newest[key] = Position;
            Position++;
        }
        else
        {
            var deletedBy = history.NextDeleteOf(key, _newest.GetValueOrDefault(key, -1));
            Assert.True(deletedBy is not null, $"a delete of {key} was reported that no write made after write {_newest.GetValueOrDefault(key, -1)}");
            _newest[key] = deletedBy.Value;
        }
        _state.Remove(key);
    }
}
