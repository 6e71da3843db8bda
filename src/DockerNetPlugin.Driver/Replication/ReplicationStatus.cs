using System.Collections.Concurrent;

namespace DockerNetPlugin.Driver.Replication;

/// <summary>Where replication of one logical network stands on this host (shown by <c>dnp status</c>).</summary>
/// <param name="LogicalId">The logical network.</param>
/// <param name="Name">Its Docker name, once the creating host's Docker committed it.</param>
/// <param name="State">One of <see cref="ReplicationStates"/>.</param>
/// <param name="Detail">What is wrong or awaited, in words.</param>
public sealed record ReplicationStatus(string LogicalId, string? Name, string State, string? Detail);

/// <summary>The states of <see cref="ReplicationStatus"/>.</summary>
public static class ReplicationStates
{
    /// <summary>Created here; waiting for this host's Docker to commit it before other hosts see it.</summary>
    public const string Pending = "pending";

    /// <summary>Present on this host (created here, or replicated to it).</summary>
    public const string Present = "present";

    /// <summary>Creating it on this host failed; retried periodically.</summary>
    public const string Failed = "failed";

    /// <summary>A different network of the same name exists on this host.</summary>
    public const string Conflict = "conflict";

    /// <summary>Its record asks for something replication never creates (another driver, options outside the allowlist, pools not the record's).</summary>
    public const string Refused = "refused";

    /// <summary>Removed on some host; this host removes it once its containers have left.</summary>
    public const string Removing = "removing";
}

/// <summary>The latest <see cref="ReplicationStatus"/> per logical network; written by the replicator, read by status.</summary>
public sealed class ReplicationBoard
{
    private readonly ConcurrentDictionary<string, ReplicationStatus> _states = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="status"/>; true when it differs from what was there (worth a log line).</summary>
    public bool Set(ReplicationStatus status)
    {
        var changed = !_states.TryGetValue(status.LogicalId, out var old) || old != status;
        _states[status.LogicalId] = status;
        return changed;
    }

    /// <summary>Forgets networks that no longer exist in the store.</summary>
    public void Retain(IReadOnlySet<string> logicalIds)
    {
        foreach (var id in _states.Keys.Where(id => !logicalIds.Contains(id)).ToList())
            _states.TryRemove(id, out _);
    }

    public IReadOnlyList<ReplicationStatus> Snapshot() =>
        _states.Values.OrderBy(s => s.Name ?? s.LogicalId, StringComparer.Ordinal).ToList();
}
