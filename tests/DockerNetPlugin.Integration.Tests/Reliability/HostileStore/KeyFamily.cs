namespace DockerNetPlugin.Integration.Tests.Reliability.HostileStore;

/// <summary>
/// A kind of key the plugin keeps under <c>dnp/v1/</c>: its prefix, how many variable segments follow it, and whether
/// a host owns the records there and puts them back when another writer deletes or overwrites them. The fuzzer only
/// overwrites or deletes the real records of families whose owner restores them; under the others it writes beside them.
/// </summary>
/// <param name="IdFields">The record fields that must equal the key's segments, in order (a forgery sets them to match).</param>
internal sealed record KeyFamily(string Prefix, int Segments, bool OwnerRestores, params string[] IdFields)
{
    public const string Root = "dnp/v1/";

    /// <summary>Every family the plugin knows today. A new key layout (e.g. a per-host segment) is one more line.</summary>
    public static IReadOnlyList<KeyFamily> All { get; } =
    [
        new("networks/", 1, OwnerRestores: false, "id"),
        new("vnis/", 1, OwnerRestores: false),
        new("network-hosts/", 2, OwnerRestores: true, "networkId", "hostId"),
        new("endpoints/", 2, OwnerRestores: true, "networkId", "endpointId"),
        new("hosts/", 1, OwnerRestores: true, "hostId"),
        // The by-host layout: by-host/{host}/host, by-host/{host}/network-hosts/{net}, by-host/{host}/endpoints/{net}/{ep}
        // (a forgery of four segments is an endpoint record naming the key's host; "kind" is a field nobody reads).
        new("by-host/", 4, OwnerRestores: true, "hostId", "kind", "networkId", "endpointId"),
        new("forgotten-hosts/", 1, OwnerRestores: false),
        new("ipam/index", 0, OwnerRestores: false),
        new("ipam/pools/", 1, OwnerRestores: false),
        new("ipam/addr/", 3, OwnerRestores: false),
    ];

    /// <summary>The family a key belongs to (the longest matching prefix), or null for a key the plugin does not know.</summary>
    public static KeyFamily? Of(string key) =>
        key.StartsWith(Root, StringComparison.Ordinal)
            ? All.Where(f => key[Root.Length..].StartsWith(f.Prefix, StringComparison.Ordinal)).MaxBy(f => f.Prefix.Length)
            : null;

    /// <summary>The full key of this family with <paramref name="segments"/> (already escaped, or deliberately not).</summary>
    public string Key(IEnumerable<string> segments) => Root + Prefix + string.Join('/', segments);
}
