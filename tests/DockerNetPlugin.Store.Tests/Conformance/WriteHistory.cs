using System.Globalization;
using System.Text;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Store.Tests.Conformance;

/// <summary>
/// A known run of puts and deletes over ten keys under a prefix, with the state after every write, so a watch can be
/// checked against what really happened (<see cref="WatchHistoryCheck"/>). Writes 0-9 create k0-k9; after that,
/// write n deletes k(n mod 10) when n mod 3 = 2 (that key is present then: write n-10 put it) and puts it otherwise.
/// Every value starts with its write number, padded to a fixed size, so every state is distinct and recognisable.
/// </summary>
public sealed class WriteHistory
{
    private const int Keys = 10;
    private readonly int _valueBytes;
    private readonly List<Dictionary<string, int>> _states = [];

    public WriteHistory(string prefix, int count, int valueBytes)
    {
        _valueBytes = valueBytes;
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var writes = new List<Write>(count);
        for (var n = 0; n < count; n++)
        {
            var key = $"{prefix}k{n % Keys}";
            var delete = n >= Keys && n % 3 == 2;
            writes.Add(new Write(n, key, delete));
            if (delete)
                state.Remove(key);
            else
                state[key] = n;
            _states.Add(new Dictionary<string, int>(state, StringComparer.Ordinal));
        }
        Writes = writes;
    }

    /// <summary>Write <see cref="Number"/> puts <see cref="Key"/> (value numbered <see cref="Number"/>) or deletes it.</summary>
    public sealed record Write(int Number, string Key, bool IsDelete);

    public IReadOnlyList<Write> Writes { get; }

    /// <summary>Key → write number of its value, after the last write.</summary>
    public IReadOnlyDictionary<string, int> FinalState => _states[^1];

    /// <summary>Makes every write, one after another.</summary>
    public async Task ApplyAsync(IKvStore store, CancellationToken ct)
    {
        foreach (var w in Writes)
        {
            if (w.IsDelete)
                await store.DeleteAsync(w.Key, ct);
            else
                await store.PutAsync(w.Key, ValueOf(w.Number), null, ct);
        }
    }

    /// <summary>The write number a value carries.</summary>
    public static int NumberOf(ReadOnlyMemory<byte> value)
    {
        var text = Encoding.ASCII.GetString(value.Span);
        return int.Parse(text.AsSpan(0, text.IndexOf('|', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>How many writes <paramref name="state"/> reflects, or -1 when it is no state the writes passed through.</summary>
    public int PositionOf(IReadOnlyDictionary<string, int> state)
    {
        if (state.Count == 0)
            return 0;
        // The newest value present was written by write M; the state is the one after M, or after M+1 if that was a delete.
        var newest = state.Values.Max();
        for (var after = newest; after <= newest + 1 && after < _states.Count; after++)
        {
            if (_states[after].Count == state.Count && _states[after].All(kv => state.TryGetValue(kv.Key, out var n) && n == kv.Value))
                return after + 1;
        }
        return -1;
    }

    /// <summary>The first write after <paramref name="number"/> that deletes <paramref name="key"/>, if any.</summary>
    public int? NextDeleteOf(string key, int number) =>
        Writes.Skip(number + 1).FirstOrDefault(w => w.IsDelete && w.Key == key)?.Number;

    /// <summary>The value write <paramref name="number"/> puts: its number, '|', padding.</summary>
    public byte[] ValueOf(int number)
    {
        var head = number.ToString(CultureInfo.InvariantCulture) + "|";
        return Encoding.ASCII.GetBytes(head.PadRight(Math.Max(_valueBytes, head.Length), 'x'));
    }
}
