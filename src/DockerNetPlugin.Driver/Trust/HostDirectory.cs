using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// The registered locator of every live host, from the validated <c>hosts/</c> records: what an endpoint's locator
/// must equal (<see cref="RecordValidator.EndpointInContext"/>). Fed by a list or watch of <see cref="ClusterKeys.HostsPrefix"/>;
/// invalid host records are reported to the <see cref="InvalidRecordLog"/> and leave no locator.
/// </summary>
internal sealed class HostDirectory
{
    private readonly InvalidRecordLog _log;

    // Guards _locators. Bottom level: the log is called outside it.
    private readonly Lock _gate = new();
    private Dictionary<string, IPAddress> _locators = new(StringComparer.Ordinal);

    public HostDirectory(InvalidRecordLog log) => _log = log;

    /// <summary>A copy of host id → locator, safe to hold while checking many records.</summary>
    public IReadOnlyDictionary<string, IPAddress> Snapshot()
    {
        lock (_gate)
            return new Dictionary<string, IPAddress>(_locators, StringComparer.Ordinal);
    }

    /// <summary>After a full read of <c>hosts/</c>: exactly the valid ones are known. True when a locator changed.</summary>
    public bool ReplaceAll(IEnumerable<KvEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var fresh = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        var invalid = new List<InvalidRecord>();
        foreach (var entry in entries)
        {
            var check = RecordValidator.Host(entry);
            if (check.Value is { } host)
                fresh[host.HostId] = IPAddress.Parse(host.Locator);
            else
                invalid.Add(check.Invalid!);
        }
        _log.ReplaceUnder(ClusterKeys.HostsPrefix, invalid);
        lock (_gate)
        {
            var changed = fresh.Count != _locators.Count || fresh.Any(kv => !_locators.TryGetValue(kv.Key, out var old) || !old.Equals(kv.Value));
            _locators = fresh;
            return changed;
        }
    }

    /// <summary>A <c>hosts/</c> put. True when a locator appeared or changed.</summary>
    public bool Apply(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var check = RecordValidator.Host(entry);
        _log.Note(entry.Key, check);
        var id = RecordRules.KeySegments(entry.Key, ClusterKeys.HostsPrefix, 1) is [var k] ? k : null;
        lock (_gate)
        {
            if (check.Value is { } host)
            {
                var locator = IPAddress.Parse(host.Locator);
                if (_locators.TryGetValue(host.HostId, out var old) && old.Equals(locator))
                    return false;
                _locators[host.HostId] = locator;
                return true;
            }
            // An invalid rewrite of a host's record withdraws its locator: its endpoints are no longer trusted.
            return id is not null && _locators.Remove(id);
        }
    }

    /// <summary>A <c>hosts/</c> delete (or lease expiry). True when a locator went.</summary>
    public bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _log.Clear(key);
        if (RecordRules.KeySegments(key, ClusterKeys.HostsPrefix, 1) is not [var id])
            return false;
        lock (_gate)
            return _locators.Remove(id);
    }
}
