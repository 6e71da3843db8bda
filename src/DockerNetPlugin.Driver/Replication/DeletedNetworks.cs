using System.Collections.Concurrent;

namespace DockerNetPlugin.Driver.Replication;

/// <summary>
/// Replication's tombstones: networks this host's Docker removed. A removal is handed to the replicator once, when
/// Docker's "destroy" event for the network arrives (only a removal Docker committed has one; a rolled-back create does
/// not), and the logical network is not re-created here for a grace period whether or not the event came: a
/// replication pass that read the records just before the removal was marked must not bring it back.
/// </summary>
public sealed class DeletedNetworks
{
    /// <summary>How long a network this host removed is not re-created here, while its removal is marked everywhere.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    /// <summary>Beyond this many unconsumed removals (no event stream), they are dropped: they only speed up propagation.</summary>
    private const int MaxPending = 1024;

    private readonly TimeProvider _clock;

    // Docker network id → logical id, until the destroy event is seen.
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);

    // Logical id → when this host last removed a Docker network of it.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _removedAt = new(StringComparer.Ordinal);

    public DeletedNetworks(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>This host removed Docker network <paramref name="dockerNetworkId"/> of logical network <paramref name="logicalId"/>.</summary>
    public void Remember(string dockerNetworkId, string logicalId)
    {
        var now = _clock.GetUtcNow();
        if (_pending.Count > MaxPending)
            _pending.Clear();
        foreach (var (id, at) in _removedAt)
        {
            if (now - at >= Grace)
                _removedAt.TryRemove(id, out _);
        }
        _removedAt[logicalId] = now;
        _pending[dockerNetworkId] = logicalId;
    }

    /// <summary>The logical network a Docker network this host removed belonged to (once; null if unknown).</summary>
    public string? Take(string dockerNetworkId) => _pending.TryRemove(dockerNetworkId, out var logicalId) ? logicalId : null;

    /// <summary>True within <see cref="Grace"/> after this host removed a Docker network of the logical network.</summary>
    public bool RecentlyDeletedHere(string logicalId) => _removedAt.TryGetValue(logicalId, out var at) && _clock.GetUtcNow() - at < Grace;
}
