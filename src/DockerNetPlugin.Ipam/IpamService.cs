using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Ipam;

/// <summary>
/// Cluster-wide IPAM: pools and addresses live in the shared store and change only by
/// compare-and-set, so several hosts (each with its own service and <see cref="IpamOptions.HostId"/>)
/// never hand out the same pool or address. Key layout: <see cref="IpamKeys"/>.
/// </summary>
public sealed partial class IpamService
{
    private static readonly IReadOnlyDictionary<string, string> s_empty = new Dictionary<string, string>();

    private readonly IKvStore _store;
    private readonly IpamOptions _options;
    private readonly ILogger<IpamService> _logger;
    private readonly AddressSpaces _spaces = AddressSpaces.Default;
    private readonly IReadOnlyList<Cidr> _defaultsV4;
    private readonly IReadOnlyList<Cidr> _defaultsV6;

    // Last pool record read per CIDR (a hint: every write compares the version, a stale one is re-read).
    private readonly ConcurrentDictionary<Cidr, StoredPool> _pools = new();

    // This service's picture of each pool's taken addresses (see PoolUsageView).
    private readonly ConcurrentDictionary<Cidr, PoolUsageView> _views = new();

    public IpamService(IKvStore store, IpamOptions options, ILogger<IpamService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.HostId))
            throw new ArgumentException("IpamOptions.HostId must name this host", nameof(options));
        if (options.CasAttempts < 1)
            throw new ArgumentException("IpamOptions.CasAttempts must be at least 1", nameof(options));
        if (options.V6DynamicRange < 1)
            throw new ArgumentException("IpamOptions.V6DynamicRange must be at least 1", nameof(options));
        _store = store;
        _options = options;
        _logger = logger;
        _defaultsV4 = ValidateDefaults(options.DefaultPoolsV4, v6: false, options.DefaultPrefixV4);
        _defaultsV6 = ValidateDefaults(options.DefaultPoolsV6, v6: true, options.DefaultPrefixV6);
    }

    public AddressSpaces GetDefaultAddressSpaces() => _spaces;

    public async Task<PoolInfo?> GetPoolAsync(string poolId, CancellationToken ct)
    {
        if (!PoolId.TryParse(poolId, _spaces, out var space, out var cidr))
            return null;
        var pool = await ReadPoolAsync(cidr, ct).ConfigureAwait(false);
        return pool is null ? null : ToInfo(space, cidr, pool.Record);
    }

    public async Task<IReadOnlyList<PoolInfo>> ListPoolsAsync(CancellationToken ct)
    {
        var snapshot = await _store.ListAsync(IpamKeys.PoolsPrefix, ct).ConfigureAwait(false);
        var pools = new List<PoolInfo>(snapshot.Entries.Count);
        var invalid = new List<InvalidRecord>();
        foreach (var entry in snapshot.Entries)
        {
            var check = IpamRecordValidator.Pool(entry);
            if (check.Value is { } record)
                pools.Add(ToInfo(record.AddressSpace, Cidr.Parse(record.Cidr, $"stored pool at {entry.Key}"), record));
            else
                invalid.Add(check.Invalid!);
        }
        ReplaceInvalidUnder(IpamKeys.PoolsPrefix, invalid);
        return pools;
    }

    public async Task<IReadOnlyList<AddressInfo>> ListAddressesAsync(string poolId, CancellationToken ct)
    {
        var (cidr, pool) = await RequirePoolAsync(poolId, fresh: true, ct).ConfigureAwait(false);
        var snapshot = await _store.ListAsync(IpamKeys.AddressesPrefix(cidr, pool.Record.Generation), ct).ConfigureAwait(false);
        return snapshot.Entries
            .Select(e => Valid(IpamRecordValidator.Address(e, cidr, pool.Record.Generation)))
            .OfType<StoredAddress>()
            .OrderBy(a => a.Number)
            .Select(a => new AddressInfo(IpNumber.ToAddress(a.Number, cidr.V6), KindOf(a.Record), a.Record.Host, a.Record.Options))
            .ToList();
    }

    private PoolInfo ToInfo(string space, Cidr cidr, PoolRecord record) => new(
        PoolId.Format(space, cidr),
        record.AddressSpace,
        cidr.ToIPNetwork(),
        record.SubPool is null ? null : Cidr.Parse(record.SubPool, "stored sub-pool").ToIPNetwork(),
        record.V6,
        record.Gateway is null ? null : IPAddress.Parse(record.Gateway),
        record.Network,
        record.Holders,
        record.Options,
        record.CreatedBy);

    /// <summary>Parses a PoolID and reads its pool, or throws <see cref="UnknownPoolException"/>.</summary>
    private async Task<(Cidr Cidr, StoredPool Pool)> RequirePoolAsync(string poolId, bool fresh, CancellationToken ct)
    {
        if (!PoolId.TryParse(poolId, _spaces, out _, out var cidr))
            throw new UnknownPoolException($"pool id '{poolId}' is not one this driver hands out (expected e.g. {_spaces.Local}/10.30.0.0/24)");
        var pool = !fresh && _pools.TryGetValue(cidr, out var cached) ? cached : await ReadPoolAsync(cidr, ct).ConfigureAwait(false);
        return pool is null
            ? throw new UnknownPoolException($"pool {cidr} does not exist (it was released or never requested); recreate the network")
            : (cidr, pool);
    }

    /// <summary>Reads a pool record from the store and refreshes the cache (forgets it when absent).</summary>
    private async Task<StoredPool?> ReadPoolAsync(Cidr cidr, CancellationToken ct)
    {
        var entry = await _store.GetAsync(IpamKeys.Pool(cidr), ct).ConfigureAwait(false);
        if (entry is null)
        {
            _pools.TryRemove(cidr, out _);
            return null;
        }
        var pool = new StoredPool(Require(IpamRecordValidator.Pool(entry)), entry.Version);
        _pools[cidr] = pool;
        return pool;
    }

    private async Task<(List<Cidr> Cidrs, ulong Version)> ReadIndexAsync(CancellationToken ct)
    {
        var entry = await _store.GetAsync(IpamKeys.Index, ct).ConfigureAwait(false);
        if (entry is null)
            return ([], 0);
        var record = Require(IpamRecordValidator.Index(entry)); // a pool index that cannot be read could hand out overlapping pools
        return (record.Cidrs.Select(c => Cidr.Parse(c, $"stored pool index entry at {entry.Key}")).ToList(), entry.Version);
    }

    private PoolUsageView ViewOf(Cidr cidr, PoolRecord record)
    {
        var view = _views.GetOrAdd(cidr, _ => new PoolUsageView(record.Generation));
        if (view.Generation == record.Generation)
            return view;
        var fresh = new PoolUsageView(record.Generation);
        return _views.TryUpdate(cidr, fresh, view) ? fresh : ViewOf(cidr, record);
    }

    /// <summary>Fills the view from the store: one list of the pool generation's address keys.</summary>
    private async Task LoadViewAsync(Cidr cidr, PoolUsageView view, CancellationToken ct)
    {
        var snapshot = await _store.ListAsync(IpamKeys.AddressesPrefix(cidr, view.Generation), ct).ConfigureAwait(false);
        var taken = new List<UInt128>(snapshot.Entries.Count);
        var invalid = new List<InvalidRecord>();
        foreach (var entry in snapshot.Entries)
        {
            // Only the key matters for allocation: a taken address stays taken whatever its record holds. A key that
            // names no address of this pool is skipped and reported; it never fails the pool's allocations.
            if (IpamRecordValidator.AddressKey(entry.Key, cidr, view.Generation) is { } number)
                taken.Add(number);
            else
                invalid.Add(new InvalidRecord(entry.Key, $"the key is not ipam/addr/{cidr}/{view.Generation}/<address inside {cidr}>"));
        }
        ReplaceInvalidUnder(IpamKeys.AddressesPrefix(cidr, view.Generation), invalid);
        view.Load(taken);
    }

    /// <summary>The record, or null after reporting why it is invalid.</summary>
    private T? Valid<T>(RecordCheck<T> check) where T : class
    {
        if (check.Invalid is { } invalid)
            Report(invalid);
        return check.Value;
    }

    /// <summary>The record, or (after reporting it) an <see cref="IpamException"/> saying which key is invalid and why.</summary>
    private T Require<T>(RecordCheck<T> check) where T : class =>
        Valid(check) ?? throw new IpamException($"stored IPAM record at {check.Invalid!.Key} is invalid ({check.Invalid.Reason}); delete it or restore it from a backup");

    private void Report(InvalidRecord invalid)
    {
        if (_options.InvalidRecords is { } sink)
            sink.Report(invalid);
        else
            IpamLog.RecordInvalid(_logger, invalid.Key, invalid.Reason);
    }

    private void ReplaceInvalidUnder(string prefix, IReadOnlyCollection<InvalidRecord> invalid)
    {
        if (_options.InvalidRecords is { } sink)
            sink.ReplaceUnder(prefix, invalid);
        else
            foreach (var i in invalid)
                IpamLog.RecordInvalid(_logger, i.Key, i.Reason);
    }

    private static AddressKind KindOf(AddressRecord record) => record.Kind switch
    {
        "gateway" => AddressKind.Gateway,
        "aux" => AddressKind.Aux,
        _ => AddressKind.Endpoint,
    };

    private static string KindName(AddressKind kind) => kind switch
    {
        AddressKind.Gateway => "gateway",
        AddressKind.Aux => "aux",
        _ => "endpoint",
    };

    private static byte[] Encode<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.SerializeToUtf8Bytes(value, info);

    private IpamContentionException Contention(string what) => new(
        $"{what} changed {_options.CasAttempts} times while this request was being applied (other hosts are busy with it); retry the command");

    private static List<Cidr> ValidateDefaults(IReadOnlyList<IPNetwork> pools, bool v6, int prefix)
    {
        var family = v6 ? "IPv6" : "IPv4";
        var result = new List<Cidr>(pools.Count);
        foreach (var network in pools)
        {
            var cidr = Cidr.From(network);
            if (cidr.V6 != v6)
                throw new ArgumentException($"default {family} pool {cidr} is not {family}");
            if (prefix < cidr.Prefix || prefix > cidr.Bits)
                throw new ArgumentException($"default {family} prefix /{prefix} does not fit inside default pool {cidr}");
            result.Add(cidr);
        }
        return result;
    }

    /// <summary>A pool record and the store version it was read at.</summary>
    private sealed record StoredPool(PoolRecord Record, ulong Version);
}
