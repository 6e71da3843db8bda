using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The logical network records (<c>networks/&lt;id&gt;</c>) for components outside the driver core (replication): read,
/// commit by compare-and-set, and watch. Keys and JSON stay the driver's.
/// </summary>
public sealed class NetworkRecords
{
    private readonly RecordStore _store;

    internal NetworkRecords(RecordStore store) => _store = store;

    public Task<IReadOnlyList<Versioned<NetworkRecord>>> ListAsync(CancellationToken ct) =>
        _store.ListAsync(ClusterKeys.NetworksPrefix, DriverJsonContext.Default.NetworkRecord, ct);

    public Task<Versioned<NetworkRecord>?> GetAsync(string logicalId, CancellationToken ct) =>
        _store.GetAsync(ClusterKeys.Network(logicalId), DriverJsonContext.Default.NetworkRecord, ct);

    /// <summary>Write <paramref name="record"/> if the record is still at <paramref name="version"/>; false when someone wrote meanwhile.</summary>
    public Task<bool> TryUpdateAsync(NetworkRecord record, ulong version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _store.UpdateAsync(ClusterKeys.Network(record.Id), record, version, DriverJsonContext.Default.NetworkRecord, ct);
    }

    /// <summary>Every change of any logical network record (the store's watch: it resumes by itself after outages).</summary>
    public IAsyncEnumerable<WatchEvent> WatchAsync(CancellationToken ct) => _store.Store.WatchPrefixAsync(ClusterKeys.NetworksPrefix, 0, ct);
}
