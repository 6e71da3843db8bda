using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// The registered locator of every live host, from the validated <c>hosts/</c> records: what an endpoint's locator
/// must equal (<see cref="RecordValidator.EndpointInContext"/>), and which key layout each reads (<see cref="Layouts"/>).
/// Fed by a list or watch of the host records of both layouts (<see cref="LayoutMerge"/>); invalid host records are
/// reported to the <see cref="InvalidRecordLog"/> and leave no locator.
/// </summary>
internal sealed class HostDirectory
{
    private readonly InvalidRecordLog _log;

    // Guards _locators. Bottom level: the log is called outside it.
    private readonly Lock _gate = new();
    private Dictionary<string, IPAddress> _locators = new(StringComparer.Ordinal);
    private Dictionary<string, bool> _readsByHost = new(StringComparer.Ordinal); // host id → it announced the by-host layout

    public HostDirectory(InvalidRecordLog log) => _log = log;

    /// <summary>A copy of host id → locator, safe to hold while checking many records.</summary>
    public IReadOnlyDictionary<string, IPAddress> Snapshot()
    {
        lock (_gate)
            return new Dictionary<string, IPAddress>(_locators, StringComparer.Ordinal);
    }

    /// <summary>Live host id → whether it reads the by-host key layout (see <see cref="WriteLayout"/>).</summary>
    public IReadOnlyDictionary<string, bool> Layouts()
    {
        lock (_gate)
            return new Dictionary<string, bool>(_readsByHost, StringComparer.Ordinal);
    }

    /// <summary>After a full read of <c>hosts/</c>: exactly the valid ones are known. True when a locator changed.</summary>
    public bool ReplaceAll(IEnumerable<KvEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var fresh = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        var layouts = new Dictionary<string, bool>(StringComparer.Ordinal);
        var invalid = new List<InvalidRecord>();
        foreach (var entry in entries)
        {
            var check = RecordValidator.Host(entry);
            if (check.Value is { } host)
            {
                fresh[host.HostId] = IPAddress.Parse(host.Locator);
                layouts[host.HostId] = ReadsByHost(host);
            }
            else
            {
                invalid.Add(check.Invalid!);
            }
        }
        _log.ReplaceWhere(IsHostKey, invalid);
        lock (_gate)
        {
            var changed = fresh.Count != _locators.Count || fresh.Any(kv => !_locators.TryGetValue(kv.Key, out var old) || !old.Equals(kv.Value))
                || layouts.Any(kv => !_readsByHost.TryGetValue(kv.Key, out var old) || old != kv.Value);
            _locators = fresh;
            _readsByHost = layouts;
            return changed;
        }
    }

    /// <summary>A <c>hosts/</c> put. True when a locator appeared or changed.</summary>
    public bool Apply(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var check = RecordValidator.Host(entry);
        _log.Note(entry.Key, check);
        var id = HostOf(entry.Key);
        lock (_gate)
        {
            if (check.Value is { } host)
            {
                var locator = IPAddress.Parse(host.Locator);
                var layout = ReadsByHost(host);
                var layoutChanged = !_readsByHost.TryGetValue(host.HostId, out var oldLayout) || oldLayout != layout;
                _readsByHost[host.HostId] = layout;
                if (_locators.TryGetValue(host.HostId, out var old) && old.Equals(locator))
                    return layoutChanged;
                _locators[host.HostId] = locator;
                return true;
            }
            // An invalid rewrite of a host's record withdraws its locator: its endpoints are no longer trusted.
            if (id is not null)
                _readsByHost.Remove(id);
            return id is not null && _locators.Remove(id);
        }
    }

    /// <summary>A <c>hosts/</c> delete (or lease expiry). True when a locator went.</summary>
    public bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _log.Clear(key);
        if (HostOf(key) is not { } id)
            return false;
        lock (_gate)
        {
            var layoutGone = _readsByHost.Remove(id);
            return _locators.Remove(id) | layoutGone;
        }
    }

    /// <summary>A host record's key of either layout.</summary>
    public static bool IsHostKey(string key) => OwnedKey.TryParse(key) is { Kind: OwnedKind.Host } || key.StartsWith(ClusterKeys.HostsPrefix, StringComparison.Ordinal);

    private static string? HostOf(string key) => OwnedKey.TryParse(key) is { Kind: OwnedKind.Host } k ? k.HostId : null;

    private static bool ReadsByHost(HostRecord host) => host.KeyLayout == WriteLayout.ByHostAnnouncement;
}
