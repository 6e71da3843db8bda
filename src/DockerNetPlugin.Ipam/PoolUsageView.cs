namespace DockerNetPlugin.Ipam;

/// <summary>
/// This service's picture of which addresses of one pool generation are taken, plus a rotating
/// cursor. It is only a hint for choosing candidates: the store's create-only compare-and-set
/// decides. Loaded with one list of the pool's address keys, then kept current from our own results
/// (claims, conflicts, releases); reloaded when it believes the range is full, so addresses freed by
/// other hosts are found again. Candidates being claimed are "pending" so concurrent calls of this
/// service never race each other for the same address.
/// </summary>
internal sealed class PoolUsageView(string generation)
{
    // Guards _taken, _pending and _cursor. Held only for in-memory work, never across a store call.
    private readonly Lock _lock = new();
    private readonly HashSet<UInt128> _taken = [];
    private readonly HashSet<UInt128> _pending = [];
    private ulong _cursor;
    private UInt128 _rangeFirst;

    public string Generation { get; } = generation;

    public bool Loaded { get; private set; }

    public int TakenCount
    {
        get
        {
            lock (_lock)
                return _taken.Count + _pending.Count(p => !_taken.Contains(p));
        }
    }

    public void Load(IEnumerable<UInt128> taken)
    {
        lock (_lock)
        {
            _taken.Clear();
            _taken.UnionWith(taken);
            Loaded = true;
        }
    }

    /// <summary>
    /// Picks the first address believed free, starting at the cursor (or at the range start for
    /// <paramref name="fromStart"/>, used for the gateway), and marks it pending.
    /// </summary>
    public bool TryReserve(AddressRange range, bool fromStart, out UInt128 address)
    {
        lock (_lock)
        {
            if (range.Count == 0)
            {
                address = default;
                return false;
            }
            _rangeFirst = range.First;
            var start = fromStart ? 0 : _cursor % range.Count;
            for (ulong i = 0; i < range.Count; i++)
            {
                var offset = (start + i) % range.Count;
                var candidate = range.At(offset);
                if (_taken.Contains(candidate) || _pending.Contains(candidate))
                    continue;
                _pending.Add(candidate);
                if (!fromStart)
                    _cursor = offset + 1;
                address = candidate;
                return true;
            }
            address = default;
            return false;
        }
    }

    /// <summary>The address is taken in the store (by us or by someone else).</summary>
    public void MarkTaken(UInt128 address)
    {
        lock (_lock)
        {
            _pending.Remove(address);
            _taken.Add(address);
        }
    }

    /// <summary>
    /// A pending claim ended without an answer (store error, pool changed): forget it, and move the
    /// cursor back so the next request tries it again instead of leaving a gap.
    /// </summary>
    public void Abandon(UInt128 address)
    {
        lock (_lock)
        {
            _pending.Remove(address);
            if (address >= _rangeFirst && address - _rangeFirst < _cursor)
                _cursor = (ulong)(address - _rangeFirst);
        }
    }

    public void MarkFree(UInt128 address)
    {
        lock (_lock)
            _taken.Remove(address);
    }
}
