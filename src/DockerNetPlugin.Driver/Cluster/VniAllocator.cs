using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Cluster;

/// <summary>
/// Cluster-wide VXLAN network identifiers: <c>vnis/&lt;n&gt;</c> holds the owning logical network, created with a
/// create-only compare-and-set so two hosts can never take the same VNI.
/// </summary>
internal sealed class VniAllocator
{
    public const uint Min = 4096;
    public const uint Max = 16_777_215;
    private const int MaxProbes = 64;

    private readonly IKvStore _store;
    private readonly InvalidRecordLog _invalid;

    public VniAllocator(IKvStore store, InvalidRecordLog invalid)
    {
        _store = store;
        _invalid = invalid;
    }

    /// <summary>Reserve <paramref name="vni"/> for <paramref name="networkId"/>; fine if it already belongs to it.</summary>
    public async Task ReserveAsync(uint vni, string networkId, CancellationToken ct)
    {
        Validate(vni);
        var key = ClusterKeys.Vni(vni);
        var result = await _store.CompareAndSetAsync(key, System.Text.Encoding.UTF8.GetBytes(networkId), 0, null, ct).ConfigureAwait(false);
        if (result.Succeeded)
            return;
        var owner = result.Current is null ? null : System.Text.Encoding.UTF8.GetString(result.Current.Value.Span);
        if (owner != networkId)
            throw new ConflictException($"VNI {vni} is already used by network {owner}; choose another -o dnp.vni or omit it");
    }

    /// <summary>Allocate a free VNI for <paramref name="networkId"/>, starting from a spot derived from its id.</summary>
    public async Task<uint> AllocateAsync(string networkId, CancellationToken ct)
    {
        // Junk under vnis/ is skipped and reported, never a reason to fail; a number named by any key stays taken, and so
        // does the VNI of every valid network record, with or without its claim (a reader may meet a record whose claim
        // is missing: between claim and record, or after a release raced a re-create).
        var networks = await _store.ListAsync(ClusterKeys.NetworksPrefix, ct).ConfigureAwait(false);
        var existing = await _store.ListAsync(KeyLayout.Prefix("vnis"), ct).ConfigureAwait(false);
        var catalog = NetworkCatalog.Read(networks.Entries, existing.Entries, _invalid);
        if (catalog.Claims.Values.FirstOrDefault(c => c.NetworkId == networkId) is { } mine)
            return mine.Vni;
        var taken = new HashSet<uint>(catalog.TakenVnis);
        taken.UnionWith(catalog.Networks.Values.Where(n => n.Value.Id != networkId).Select(n => n.Value.Vni));

        var span = Max - Min + 1;
        var candidate = Min + ((uint)StableHash(networkId) % span);
        for (var probe = 0; probe < MaxProbes;)
        {
            if (!taken.Contains(candidate))
            {
                var key = ClusterKeys.Vni(candidate);
                var result = await _store.CompareAndSetAsync(key, System.Text.Encoding.UTF8.GetBytes(networkId), 0, null, ct).ConfigureAwait(false);
                if (result.Succeeded)
                    return candidate;
                probe++;
            }
            candidate = candidate == Max ? Min : candidate + 1;
        }
        throw new ConflictException($"could not allocate a VNI after {MaxProbes} attempts; give one with -o dnp.vni=N");
    }

    /// <summary>Free <paramref name="vni"/> if it belongs to <paramref name="networkId"/>.</summary>
    public async Task ReleaseAsync(uint vni, string networkId, CancellationToken ct)
    {
        var key = ClusterKeys.Vni(vni);
        var entry = await _store.GetAsync(key, ct).ConfigureAwait(false);
        if (entry is not null && System.Text.Encoding.UTF8.GetString(entry.Value.Span) == networkId)
            await _store.CompareAndDeleteAsync(key, entry.Version, ct).ConfigureAwait(false);
    }

    public static void Validate(uint vni)
    {
        if (vni is < Min or > Max)
            throw new InvalidRequestException($"VNI {vni} is out of range; dnp.vni must be between {Min} and {Max}");
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
                h = (h ^ c) * 16777619;
            return h & 0x7fffffff;
        }
    }
}
