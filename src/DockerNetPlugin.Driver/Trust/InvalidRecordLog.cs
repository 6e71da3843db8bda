using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// The invalid store records this host currently knows of. Each (key, reason) is logged once, when first seen
/// (again only if the reason changes), not on every pass; the set is what <c>dnp status</c> counts and what
/// <c>dnp doctor</c> reports as <see cref="DriftKind"/>. A key leaves the set when it becomes valid or is deleted.
/// Bounded: past <see cref="MaxTracked"/> keys, further ones are only counted (a hostile writer can make many).
/// </summary>
public sealed class InvalidRecordLog : IInvalidRecordSink
{
    /// <summary>The <see cref="DriftItem.Kind"/> of an invalid record in <c>dnp doctor</c>.</summary>
    public const string DriftKind = "record-invalid";

    public const int MaxTracked = 10_000;

    /// <summary>How many records <see cref="Snapshot"/> lists (the count covers them all).</summary>
    public const int MaxListed = 100;

    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    // Guards _entries, _untracked and _warnedFull. Bottom of any lock order: nothing is taken and nothing is logged under it.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _untracked = new(StringComparer.Ordinal);
    private bool _warnedFull;

    public InvalidRecordLog(ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many invalid records are known now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count + _untracked.Count;
        }
    }

    /// <summary>Note an invalid record; logs it unless this key was already reported with the same reason.</summary>
    public void Report(InvalidRecord invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        var now = _time.GetUtcNow();
        bool log, warnFull = false;
        int count;
        lock (_gate)
        {
            if (_entries.TryGetValue(invalid.Key, out var known))
            {
                log = known.Reason != invalid.Reason;
                _entries[invalid.Key] = log ? new Entry(invalid.Reason, now, now, 1) : known with { LastSeen = now, Times = known.Times + 1 };
            }
            else if (_entries.Count < MaxTracked)
            {
                log = true;
                _entries[invalid.Key] = new Entry(invalid.Reason, now, now, 1);
            }
            else
            {
                log = false;
                _untracked.Add(invalid.Key);
                warnFull = !_warnedFull;
                _warnedFull = true;
            }
            count = _entries.Count + _untracked.Count;
        }
        if (log)
            TrustLog.RecordInvalid(_logger, invalid.Key, invalid.Reason);
        if (warnFull)
            TrustLog.TooManyInvalid(_logger, count);
    }

    /// <summary>Reports the check's failure, or clears the key when it passed; returns the valid value or null.</summary>
    internal T? Note<T>(string key, RecordCheck<T> check) where T : class
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.Invalid is { } invalid)
            Report(invalid);
        else
            Clear(key);
        return check.Value;
    }

    /// <summary>The key is valid now, or was deleted: forget it (logs that it recovered, if it was known).</summary>
    public void Clear(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool removed;
        lock (_gate)
        {
            removed = _entries.Remove(key) | _untracked.Remove(key);
            if (_entries.Count + _untracked.Count == 0)
                _warnedFull = false;
        }
        if (removed)
            TrustLog.RecordRecovered(_logger, key);
    }

    /// <summary>
    /// After a full read of <paramref name="prefix"/> (a resync or a reconcile pass): the keys under it that are
    /// invalid now are exactly <paramref name="invalidNow"/>. Reports those, forgets the rest under the prefix.
    /// </summary>
    public void ReplaceUnder(string prefix, IReadOnlyCollection<InvalidRecord> invalidNow)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ReplaceWhere(k => k.StartsWith(prefix, StringComparison.Ordinal), invalidNow);
    }

    /// <summary>
    /// <see cref="ReplaceUnder"/> for a full read that spans several prefixes (a record kind in both key layouts):
    /// <paramref name="inScope"/> says which keys the read covered.
    /// </summary>
    public void ReplaceWhere(Func<string, bool> inScope, IReadOnlyCollection<InvalidRecord> invalidNow)
    {
        ArgumentNullException.ThrowIfNull(inScope);
        ArgumentNullException.ThrowIfNull(invalidNow);
        var keep = invalidNow.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        List<string> stale;
        lock (_gate)
            stale = _entries.Keys.Concat(_untracked).Where(k => inScope(k) && !keep.Contains(k)).ToList();
        foreach (var key in stale)
            Clear(key);
        foreach (var invalid in invalidNow)
            Report(invalid);
    }

    /// <summary>For <c>dnp status</c> and <c>/dnp/v1/status</c>: the count and the first <see cref="MaxListed"/> records by key.</summary>
    public InvalidRecordsStatus Snapshot()
    {
        lock (_gate)
        {
            var listed = _entries.OrderBy(e => e.Key, StringComparer.Ordinal).Take(MaxListed)
                .Select(e => new InvalidRecordStatus(e.Key, e.Value.Reason, e.Value.FirstSeen, e.Value.LastSeen, e.Value.Times)).ToList();
            return new InvalidRecordsStatus(_entries.Count + _untracked.Count, listed);
        }
    }

    /// <summary>
    /// For <c>dnp doctor</c>: one <see cref="DriftKind"/> item per known invalid record. Not repairable by this host:
    /// the record belongs to whoever wrote it (its owner rewrites it, or an operator fixes or deletes the key).
    /// </summary>
    public IReadOnlyList<DriftItem> Drift()
    {
        List<(string Key, string Reason)> items;
        int untracked;
        lock (_gate)
        {
            items = _entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.Reason)).ToList();
            untracked = _untracked.Count;
        }
        var drift = items.Select(i => new DriftItem(NetworkOf(i.Key), DriftKind, i.Key,
            $"{i.Reason}; skipped (never programmed); rewrite it correctly or delete the key", Repairable: false)).ToList();
        if (untracked > 0)
            drift.Add(new DriftItem("-", DriftKind, $"{untracked} more keys", "further invalid records, counted but not listed one by one", Repairable: false));
        return drift;
    }

    /// <summary>The logical network a key belongs to (endpoints/, networks/, network-hosts/, in either key layout), else "-".</summary>
    private static string NetworkOf(string key)
    {
        var root = KeyLayout.Root + "/";
        if (!key.StartsWith(root, StringComparison.Ordinal))
            return "-";
        var parts = key[root.Length..].Split('/');
        if (parts.Length >= 4 && parts[0] == Cluster.ClusterKeys.ByHostKind)
            parts = parts[2..]; // by-host/<host>/endpoints/<net>/..., by-host/<host>/network-hosts/<net>
        return parts.Length >= 2 && parts[0] is "endpoints" or "networks" or "network-hosts" && RecordRules.TryUnescape(parts[1]) is { } id ? id : "-";
    }

    private sealed record Entry(string Reason, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Times);
}

/// <summary>One invalid record in <c>dnp status</c>: how long it has been seen and how many passes met it.</summary>
public sealed record InvalidRecordStatus(string Key, string Reason, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Times);

/// <summary>The invalid records of <c>dnp status</c> (<c>--json</c>): all of them counted, the first ones listed.</summary>
public sealed record InvalidRecordsStatus(int Count, IReadOnlyList<InvalidRecordStatus> Records);
