using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Trust;

/// <summary>
/// A full read of <c>networks/</c> and <c>vnis/</c>, checked: the network records that are valid on their own and
/// own their VNI's claim, the valid claims, and every VNI number some key claims (valid or not), which an allocator
/// must treat as taken. Everything else is reported to the <see cref="InvalidRecordLog"/>. Replaces
/// <c>ToDictionary</c> over raw store data: keys are unique and ids must equal them, so nothing can collide.
/// </summary>
internal sealed class NetworkCatalog
{
    private static readonly string s_vnisPrefix = KeyLayout.Prefix("vnis");

    private NetworkCatalog(IReadOnlyDictionary<string, Versioned<NetworkRecord>> networks, IReadOnlyDictionary<uint, VniClaim> claims, IReadOnlySet<uint> takenVnis)
    {
        Networks = networks;
        Claims = claims;
        TakenVnis = takenVnis;
    }

    /// <summary>Valid network records by id, with the version a compare-and-set needs.</summary>
    public IReadOnlyDictionary<string, Versioned<NetworkRecord>> Networks { get; }

    /// <summary>Valid claims by VNI.</summary>
    public IReadOnlyDictionary<uint, VniClaim> Claims { get; }

    /// <summary>Every VNI with a key under <c>vnis/</c> naming it, even with a value that is not a network id.</summary>
    public IReadOnlySet<uint> TakenVnis { get; }

    public static NetworkCatalog Read(IEnumerable<KvEntry> networkEntries, IEnumerable<KvEntry> vniEntries, InvalidRecordLog log)
    {
        ArgumentNullException.ThrowIfNull(networkEntries);
        ArgumentNullException.ThrowIfNull(vniEntries);
        ArgumentNullException.ThrowIfNull(log);
        var (claims, taken) = ReadClaims(vniEntries, log);

        var networks = new Dictionary<string, Versioned<NetworkRecord>>(StringComparer.Ordinal);
        var invalidNetworks = new List<InvalidRecord>();
        foreach (var entry in networkEntries)
        {
            var check = RecordValidator.Network(entry);
            var why = check.Invalid
                ?? RecordValidator.NetworkAgreesWithClaim(entry.Key, check.Value!, claims.GetValueOrDefault(check.Value!.Vni));
            if (why is null)
                networks[check.Value!.Id] = new Versioned<NetworkRecord>(check.Value, entry.Version);
            else
                invalidNetworks.Add(why);
        }
        log.ReplaceUnder(ClusterKeys.NetworksPrefix, invalidNetworks);
        return new NetworkCatalog(networks, claims, taken);
    }

    /// <summary>
    /// A full read of <c>vnis/</c> alone (VNI allocation): the valid claims, and every VNI some key names (valid or
    /// not: a junk value still keeps its number from being handed out twice). Invalid keys go to the log.
    /// </summary>
    public static (IReadOnlyDictionary<uint, VniClaim> Claims, IReadOnlySet<uint> Taken) ReadClaims(IEnumerable<KvEntry> vniEntries, InvalidRecordLog log)
    {
        ArgumentNullException.ThrowIfNull(vniEntries);
        ArgumentNullException.ThrowIfNull(log);
        var claims = new Dictionary<uint, VniClaim>();
        var taken = new HashSet<uint>();
        var invalidClaims = new List<InvalidRecord>();
        foreach (var entry in vniEntries)
        {
            var check = RecordValidator.Vni(entry);
            if (check.Value is { } claim)
                claims[claim.Vni] = claim;
            else
                invalidClaims.Add(check.Invalid!);
            if (RecordRules.KeySegments(entry.Key, s_vnisPrefix, 1) is [var text] && uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                taken.Add(number);
        }
        log.ReplaceUnder(s_vnisPrefix, invalidClaims);
        return (claims, taken);
    }
}
