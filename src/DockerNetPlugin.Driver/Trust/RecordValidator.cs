using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Replication;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// Checks every record the driver reads from the cluster store before anything uses it. Each method takes the raw
/// entry (key + bytes) and returns a <see cref="RecordCheck{T}"/>; none throws on any input.
/// <para>
/// Two stages. The <c>Decode</c> stage (<see cref="Endpoint"/>, <see cref="Network"/>, <see cref="Host"/>,
/// <see cref="Membership"/>, <see cref="Vni"/>) needs only the entry: well-formed JSON, required fields present,
/// ids equal to the key's, sane lengths, MAC/IP/VNI shapes. The context stage (<see cref="EndpointInContext"/>,
/// <see cref="NetworkAgreesWithClaim"/>) compares a decoded record with others: an endpoint's addresses with its
/// network's subnets, its locator with its host's registered one; a network's VNI with the <c>vnis/</c> claim.
/// </para>
/// <para>
/// Records written by another version: unknown fields are ignored (System.Text.Json's default), so a newer host
/// may add fields freely. A missing field that only describes (name, version, creator, options, labels) gets its
/// default. A missing field the data plane or replication depends on (ids, MAC, locator, VNI, subnets, pools,
/// drivers) makes the record invalid: it is skipped and reported, and the host carries on with the rest. So a
/// rolling upgrade never stops a host; at worst a newer host's record is not used by an older one until it is
/// written in a form both understand.
/// </para>
/// </summary>
internal static class RecordValidator
{
    /// <summary>Endpoint, host, membership and VNI records are a few hundred bytes; anything this large is not one.</summary>
    public const int MaxSmallRecordBytes = 16 * 1024;

    /// <summary>Options, labels or subnets beyond these counts are not a network anyone created through Docker.</summary>
    public const int MaxSubnets = 64;
    public const int MaxOptions = 256;

    private static readonly string s_vnisPrefix = KeyLayout.Prefix("vnis");

    /// <summary>An <c>endpoints/&lt;network&gt;/&lt;endpoint&gt;</c> record on its own (see <see cref="EndpointInContext"/> for the rest).</summary>
    public static RecordCheck<EndpointRecord> Endpoint(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (OwnedKey.TryParse(entry.Key) is not { Kind: OwnedKind.Endpoint } ids)
            return RecordCheck<EndpointRecord>.Fail(entry.Key, "the key is not endpoints/<network>/<endpoint> or by-host/<host>/endpoints/<network>/<endpoint> in the store's escaped form");
        if (Decode(entry, MaxSmallRecordBytes, DriverJsonContext.Default.EndpointRecord, out var r) is { } bad)
            return RecordCheck<EndpointRecord>.Fail(entry.Key, bad);
        var why = RecordRules.IdMatchingKey(r.NetworkId, "networkId", ids.NetworkId!)
            ?? RecordRules.IdMatchingKey(r.EndpointId, "endpointId", ids.EndpointId!)
            ?? (ids.Owner is null ? RecordRules.Id(r.HostId, "hostId") : OwnerMatchingKey(r.HostId, ids.Owner))
            ?? RecordRules.Mac(r.Mac, "mac", out _)
            ?? RecordRules.Locator(r.Locator, "locator", out _)
            ?? RecordRules.InterfaceAddress(r.IPv4, "iPv4", AddressFamily.InterNetwork, out _)
            ?? RecordRules.InterfaceAddress(r.IPv6, "iPv6", AddressFamily.InterNetworkV6, out _);
        return why is null ? RecordCheck<EndpointRecord>.Valid(r) : RecordCheck<EndpointRecord>.Fail(entry.Key, why);
    }

    /// <summary>
    /// An endpoint record (already through <see cref="Endpoint"/>) against its network and the registered hosts:
    /// its addresses inside the network's subnets, its locator equal to its host's <c>hosts/&lt;id&gt;</c> locator.
    /// <paramref name="network"/> is null when this host does not know the network (then only the locator is checked).
    /// <paramref name="hostLocators"/> maps host id → registered locator, from validated <see cref="HostRecord"/>s.
    /// Returns null when the record is fine.
    /// </summary>
    public static InvalidRecord? EndpointInContext(string key, EndpointRecord record, NetworkFacts? network, IReadOnlyDictionary<string, IPAddress> hostLocators)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(hostLocators);
        if (network is not null && network.LogicalId != record.NetworkId)
            throw new ArgumentException($"network facts of {network.LogicalId} given for a record of {record.NetworkId}", nameof(network));
        if (network is not null)
        {
            foreach (var (text, field) in new[] { (record.IPv4, "iPv4"), (record.IPv6, "iPv6") })
            {
                if (text is not null && Model.InterfaceAddress.TryParse(text, out var address) && !network.Contains(address.Address))
                    return new InvalidRecord(key, $"field '{field}' ({address.Address}) is outside the subnets of network {record.NetworkId} ({string.Join(", ", network.Subnets)})");
            }
        }
        if (!hostLocators.TryGetValue(record.HostId, out var registered))
            return new InvalidRecord(key, $"host {record.HostId} has no hosts/ record (not registered, or its lease expired), so its locator cannot be trusted");
        if (!IPAddress.TryParse(record.Locator, out var locator) || !locator.Equals(registered))
            return new InvalidRecord(key, $"field 'locator' ({record.Locator}) is not the locator host {record.HostId} registered ({registered})");
        return null;
    }

    /// <summary>A <c>networks/&lt;id&gt;</c> record on its own: id, VNI range, subnets and gateways, MTU, sizes, the Docker spec's required parts.</summary>
    public static RecordCheck<NetworkRecord> Network(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (RecordRules.KeySegments(entry.Key, ClusterKeys.NetworksPrefix, 1) is not [var id])
            return RecordCheck<NetworkRecord>.Fail(entry.Key, "the key is not networks/<id> in the store's escaped form");
        if (Decode(entry, KvLimits.MaxValueBytes, DriverJsonContext.Default.NetworkRecord, out var r) is { } bad)
            return RecordCheck<NetworkRecord>.Fail(entry.Key, bad);
        var why = RecordRules.IdMatchingKey(r.Id, "id", id)
            ?? RecordRules.Vni(r.Vni, "vni")
            ?? Subnets(r.Subnets)
            ?? (r.Mtu is { } mtu and (< 576 or > 65535) ? $"field 'mtu' ({mtu}) is outside 576-65535" : null)
            ?? RecordRules.Text(r.Name, "name")
            ?? RecordRules.Text(r.CreatedBy, "createdBy")
            ?? Options(r.Options, "options")
            ?? DockerSpec(r.Docker);
        if (why is not null)
            return RecordCheck<NetworkRecord>.Fail(entry.Key, why);
        // Descriptive fields an older or newer writer may leave out get their defaults, so no reader meets a null.
        return RecordCheck<NetworkRecord>.Valid(r with
        {
            Options = r.Options ?? new Dictionary<string, string>(StringComparer.Ordinal),
            CreatedBy = r.CreatedBy ?? "",
            Docker = r.Docker is null ? null : r.Docker with
            {
                Options = r.Docker.Options ?? new Dictionary<string, string>(StringComparer.Ordinal),
                IpamOptions = r.Docker.IpamOptions ?? new Dictionary<string, string>(StringComparer.Ordinal),
                Labels = r.Docker.Labels ?? new Dictionary<string, string>(StringComparer.Ordinal),
            },
        });
    }

    /// <summary>
    /// A network record (already through <see cref="Network"/>) against the claim of its VNI: a claim
    /// <c>vnis/&lt;vni&gt;</c> that names another network makes the record invalid, so two networks never share a VNI.
    /// A missing claim is not held against the record: a reader can meet the record between a writer's claim and its
    /// read, or after the claim's release raced a re-creation (seen with a 3-member etcd under quorum loss), and the
    /// allocator never hands out a VNI a network record uses. <paramref name="claim"/> is the validated claim of
    /// <c>record.Vni</c>, or null when there is none. Returns null when the record is fine.
    /// </summary>
    public static InvalidRecord? NetworkAgreesWithClaim(string key, NetworkRecord record, VniClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(record);
        if (claim is null)
            return null;
        if (claim.Vni != record.Vni)
            throw new ArgumentException($"claim of VNI {claim.Vni} given for a record with VNI {record.Vni}", nameof(claim));
        return claim.NetworkId == record.Id ? null
            : new InvalidRecord(key, $"VNI {record.Vni} belongs to network {claim.NetworkId} (vnis/{record.Vni}), not to {record.Id}");
    }

    /// <summary>A <c>hosts/&lt;id&gt;</c> or <c>by-host/&lt;id&gt;/host</c> record: id equal to the key's, a unicast locator.</summary>
    public static RecordCheck<HostRecord> Host(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (OwnedKey.TryParse(entry.Key) is not { Kind: OwnedKind.Host, HostId: { } id } key)
            return RecordCheck<HostRecord>.Fail(entry.Key, "the key is not hosts/<id> or by-host/<id>/host in the store's escaped form");
        if (Decode(entry, MaxSmallRecordBytes, DriverJsonContext.Default.HostRecord, out var r) is { } bad)
            return RecordCheck<HostRecord>.Fail(entry.Key, bad);
        var why = (key.Owner is null ? RecordRules.IdMatchingKey(r.HostId, "hostId", id) : OwnerMatchingKey(r.HostId, key.Owner))
            ?? RecordRules.Locator(r.Locator, "locator", out _)
            ?? RecordRules.Text(r.Version, "version", 64)
            ?? RecordRules.Text(r.KeyLayout, "keyLayout", 64);
        return why is null
            ? RecordCheck<HostRecord>.Valid(r with { Version = r.Version ?? "unknown" })
            : RecordCheck<HostRecord>.Fail(entry.Key, why);
    }

    /// <summary>A <c>network-hosts/&lt;network&gt;/&lt;host&gt;</c> record: both ids equal to the key's, a Docker network id.</summary>
    public static RecordCheck<NetworkMembership> Membership(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (OwnedKey.TryParse(entry.Key) is not { Kind: OwnedKind.Membership, NetworkId: { } network, HostId: { } host } key)
            return RecordCheck<NetworkMembership>.Fail(entry.Key, "the key is not network-hosts/<network>/<host> or by-host/<host>/network-hosts/<network> in the store's escaped form");
        if (Decode(entry, MaxSmallRecordBytes, DriverJsonContext.Default.NetworkMembership, out var r) is { } bad)
            return RecordCheck<NetworkMembership>.Fail(entry.Key, bad);
        var why = RecordRules.IdMatchingKey(r.NetworkId, "networkId", network)
            ?? (key.Owner is null ? RecordRules.IdMatchingKey(r.HostId, "hostId", host) : OwnerMatchingKey(r.HostId, key.Owner))
            ?? RecordRules.Id(r.DockerNetworkId, "dockerNetworkId");
        return why is null ? RecordCheck<NetworkMembership>.Valid(r) : RecordCheck<NetworkMembership>.Fail(entry.Key, why);
    }

    /// <summary>A <c>vnis/&lt;n&gt;</c> claim: a canonical decimal VNI in range, whose value is the owning network's id (plain UTF-8, not JSON).</summary>
    public static RecordCheck<VniClaim> Vni(KvEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (RecordRules.KeySegments(entry.Key, s_vnisPrefix, 1) is not [var text]
            || text.Length is 0 or > 8 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
            return RecordCheck<VniClaim>.Fail(entry.Key, "the key is not vnis/<decimal VNI>");
        var vni = uint.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (RecordRules.Vni(vni, "key") is { } range)
            return RecordCheck<VniClaim>.Fail(entry.Key, range);
        if (entry.Value.Length > RecordRules.MaxIdLength)
            return RecordCheck<VniClaim>.Fail(entry.Key, $"the value is {entry.Value.Length} bytes; a network id is at most {RecordRules.MaxIdLength}");
        string owner;
        try
        {
            owner = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(entry.Value.Span);
        }
        catch (DecoderFallbackException)
        {
            return RecordCheck<VniClaim>.Fail(entry.Key, "the value is not UTF-8 text");
        }
        return RecordRules.Id(owner, "value") is { } why
            ? RecordCheck<VniClaim>.Fail(entry.Key, why)
            : RecordCheck<VniClaim>.Valid(new VniClaim(vni, owner));
    }

    /// <summary>The network and endpoint ids an endpoint key of either layout names (for delete events, which carry no value); null when the key is malformed.</summary>
    public static (string NetworkId, string EndpointId)? EndpointKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return OwnedKey.TryParse(key) is { Kind: OwnedKind.Endpoint, NetworkId: { } network, EndpointId: { } endpoint } ? (network, endpoint) : null;
    }

    /// <summary>An endpoint key of either layout, or a key under the legacy endpoints/ prefix (a malformed one): what the endpoint readers cover.</summary>
    public static bool IsEndpointScope(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(ClusterKeys.EndpointsPrefix, StringComparison.Ordinal)
            || (key.StartsWith(ClusterKeys.ByHostPrefix, StringComparison.Ordinal) && OwnedKey.TryParse(key) is null or { Kind: OwnedKind.Endpoint });
    }

    /// <summary>
    /// The host segment of a by-host key must name the record's host: a per-host ACL lets a host write only under its
    /// own segment, so this check is what keeps one host's credential from speaking for another.
    /// </summary>
    private static string? OwnerMatchingKey(string? hostId, string owner) =>
        RecordRules.Id(hostId, "hostId") ?? (hostId == owner ? null : $"field 'hostId' ('{RecordRules.Clip(hostId!)}') differs from the key's host segment '{RecordRules.Clip(owner)}' (a host writes only under by-host/<itself>/)");

    private static string? Decode<T>(KvEntry entry, int maxBytes, JsonTypeInfo<T> type, out T value) where T : class
    {
        value = null!;
        if (entry.Value.Length == 0)
            return "the value is empty";
        if (entry.Value.Length > maxBytes)
            return $"the value is {entry.Value.Length} bytes; a {typeof(T).Name} is at most {maxBytes}";
        T? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize(entry.Value.Span, type);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return $"the value is not a valid {typeof(T).Name} JSON object: {RecordRules.Clip(e.Message)}";
        }
        if (decoded is null)
            return "the value is JSON null";
        value = decoded;
        return null;
    }

    private static string? Subnets(IReadOnlyList<SubnetRecord>? subnets)
    {
        if (subnets is null)
            return "field 'subnets' is missing";
        if (subnets.Count is 0 or > MaxSubnets)
            return $"field 'subnets' has {subnets.Count} entries; a network has 1-{MaxSubnets}";
        foreach (var s in subnets)
        {
            if (s is null)
                return "field 'subnets' has a null entry";
            if (!RecordRules.TryPool(s.Pool, out var pool))
                return s.Pool is null ? "a subnet's field 'pool' is missing" : $"subnet pool '{RecordRules.Clip(s.Pool)}' is not a CIDR without host bits";
            if (s.Gateway is not null && (!Model.InterfaceAddress.TryParse(s.Gateway, out var gw) || !pool.Contains(gw.Address)))
                return $"gateway '{RecordRules.Clip(s.Gateway)}' is not an address inside subnet {pool}";
        }
        return null;
    }

    private static string? Options(IReadOnlyDictionary<string, string>? options, string field)
    {
        if (options is null)
            return null;
        if (options.Count > MaxOptions)
            return $"field '{field}' has {options.Count} entries; at most {MaxOptions}";
        foreach (var (k, v) in options)
        {
            if (k.Length > RecordRules.MaxTextLength || v is null || v.Length > RecordRules.MaxTextLength)
                return $"field '{field}' has an entry '{RecordRules.Clip(k)}' that is null or longer than {RecordRules.MaxTextLength} characters";
        }
        return null;
    }

    private static string? DockerSpec(DockerNetworkSpec? spec)
    {
        if (spec is null)
            return null;
        if (string.IsNullOrEmpty(spec.Name) || string.IsNullOrEmpty(spec.Driver) || string.IsNullOrEmpty(spec.IpamDriver))
            return "field 'docker' lacks its name, driver or ipamDriver";
        if (spec.Pools is null || spec.Pools.Any(p => p is null || p.Subnet is null))
            return "field 'docker.pools' is missing or has an entry without a subnet";
        return RecordRules.Text(spec.Name, "docker.name", 255)
            ?? RecordRules.Text(spec.Driver, "docker.driver", 255)
            ?? RecordRules.Text(spec.IpamDriver, "docker.ipamDriver", 255)
            ?? (spec.Pools.Count > MaxSubnets ? $"field 'docker.pools' has more than {MaxSubnets} entries" : null)
            ?? Options(spec.Options, "docker.options")
            ?? Options(spec.IpamOptions, "docker.ipamOptions")
            ?? Options(spec.Labels, "docker.labels");
    }
}
