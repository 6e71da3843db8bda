using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// The logical network records (<c>networks/&lt;id&gt;</c>) for the driver and for components outside its core
/// (replication, operator views): read (validated: a record that is malformed, or whose VNI's claim in <c>vnis/</c>
/// names another network, is skipped and reported to the <see cref="InvalidRecordLog"/>), commit by compare-and-set,
/// and watch. Keys and JSON stay the driver's.
/// </summary>
public sealed class NetworkRecords
{
    private readonly RecordStore _store;
    private readonly InvalidRecordLog _invalid;

    internal NetworkRecords(RecordStore store, InvalidRecordLog invalid)
    {
        _store = store;
        _invalid = invalid;
    }

    /// <summary>The valid logical network records; one bad record never hides the others.</summary>
    public async Task<IReadOnlyList<Versioned<NetworkRecord>>> ListAsync(CancellationToken ct)
    {
        // networks/ before vnis/: a network's claim is written before its record and released after it is deleted,
        // so every record read here has its claim in the later read.
        var networks = await _store.Store.ListAsync(ClusterKeys.NetworksPrefix, ct).ConfigureAwait(false);
        var vnis = await _store.Store.ListAsync(KeyLayout.Prefix("vnis"), ct).ConfigureAwait(false);
        var catalog = NetworkCatalog.Read(networks.Entries, vnis.Entries, _invalid);
        return catalog.Networks.Values.OrderBy(v => v.Value.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The record of <paramref name="logicalId"/> when it exists and is valid (an invalid one is reported).</summary>
    public async Task<Versioned<NetworkRecord>?> GetAsync(string logicalId, CancellationToken ct) =>
        (await GetCheckedAsync(logicalId, ct).ConfigureAwait(false)).Record;

    /// <summary>The record of <paramref name="logicalId"/>: absent (both null), valid, or invalid (reported, with the reason).</summary>
    internal async Task<(Versioned<NetworkRecord>? Record, InvalidRecord? Invalid)> GetCheckedAsync(string logicalId, CancellationToken ct)
    {
        var key = ClusterKeys.Network(logicalId);
        var entry = await _store.Store.GetAsync(key, ct).ConfigureAwait(false);
        if (entry is null)
        {
            _invalid.Clear(key);
            return (null, null);
        }
        var check = RecordValidator.Network(entry);
        var why = check.Invalid;
        if (why is null)
        {
            var claimEntry = await _store.Store.GetAsync(ClusterKeys.Vni(check.Value!.Vni), ct).ConfigureAwait(false);
            var claim = claimEntry is null ? null : RecordValidator.Vni(claimEntry).Value;
            why = RecordValidator.NetworkAgreesWithClaim(key, check.Value, claim);
        }
        if (why is not null)
        {
            _invalid.Report(why);
            return (null, why);
        }
        _invalid.Clear(key);
        return (new Versioned<NetworkRecord>(check.Value!, entry.Version), null);
    }

    /// <summary>Write <paramref name="record"/> if the record is still at <paramref name="version"/>; false when someone wrote meanwhile.</summary>
    public Task<bool> TryUpdateAsync(NetworkRecord record, ulong version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _store.UpdateAsync(ClusterKeys.Network(record.Id), record, version, DriverJsonContext.Default.NetworkRecord, ct);
    }

    /// <summary>Every change of any logical network record (the store's watch: it resumes by itself after outages).</summary>
    public IAsyncEnumerable<WatchEvent> WatchAsync(CancellationToken ct) => _store.Store.WatchPrefixAsync(ClusterKeys.NetworksPrefix, 0, ct);
}
