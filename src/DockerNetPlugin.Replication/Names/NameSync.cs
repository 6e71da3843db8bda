using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Replication.Names;

/// <summary>
/// Keeps the host's <see cref="NameTable"/> equal to the endpoint records of every host (the driver's store watch):
/// a record with names answers, a record without them or removed does not. A record another host wrote that cannot be
/// served is skipped and said once; it never stops the others.
/// </summary>
public sealed class NameSync : IDisposable
{
    private readonly NameTable _table;
    private readonly ILogger _logger;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private IDisposable? _watch;

    public NameSync(NameTable table, ILogger logger)
    {
        _table = table;
        _logger = logger;
    }

    /// <summary>Follow <paramref name="driver"/>'s endpoint records from now on (starting with all it knows).</summary>
    public void Start(OverlayDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _watch = driver.WatchEndpointRecords(Apply);
    }

    /// <summary>Apply one change of the records (the driver calls this sequentially).</summary>
    public void Apply(EndpointRecordsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsResync)
        {
            var byHost = change.Upserted.Select(r => (r.HostId, Name: Project(r))).Where(x => x.Name is not null)
                .GroupBy(x => x.HostId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Name!).ToList(), StringComparer.Ordinal);
            var hosts = _table.GetRecords().Select(r => r.HostId).Concat(byHost.Keys).ToHashSet(StringComparer.Ordinal);
            foreach (var host in hosts)
                _table.ReplaceHost(host, byHost.GetValueOrDefault(host) ?? []);
            return;
        }
        foreach (var removed in change.Removed)
            _table.Remove(removed.NetworkId, removed.EndpointId);
        foreach (var record in change.Upserted)
        {
            if (Project(record) is { } name)
                _table.Upsert(name);
            else
                _table.Remove(record.NetworkId, record.EndpointId);
        }
    }

    private NameRecord? Project(Driver.Cluster.EndpointRecord record)
    {
        var name = NameProjection.ToNameRecord(record, out var error);
        if (error is not null && _reported.Add($"{record.NetworkId}/{record.EndpointId}/{error}"))
            NamesLog.RecordSkipped(_logger, record.EndpointId, record.NetworkId, record.HostId, error);
        return name;
    }

    public void Dispose() => _watch?.Dispose();
}
