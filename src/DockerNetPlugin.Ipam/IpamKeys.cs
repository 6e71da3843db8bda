namespace DockerNetPlugin.Ipam;

/// <summary>
/// Every IPAM key (all via <c>KeyLayout</c>, under <c>dnp/v1/ipam/</c>):
/// <list type="bullet">
/// <item><c>ipam/index</c>: the list of pool CIDRs; every pool creation and removal changes it with
/// compare-and-set, which makes the overlap check atomic across hosts.</item>
/// <item><c>ipam/pools/&lt;cidr&gt;</c>: one pool record (holders, gateway, sub-pool, options, generation).</item>
/// <item><c>ipam/addr/&lt;cidr&gt;/&lt;generation&gt;/&lt;ip&gt;</c>: one allocated address, created only if absent.
/// The generation is new each time the pool is created, so leftovers of a removed pool never
/// collide with a new pool of the same CIDR.</item>
/// </list>
/// </summary>
internal static class IpamKeys
{
    private const string Kind = "ipam";

    public static string Index { get; } = Store.KeyLayout.Key(Kind, "index");

    public static string PoolsPrefix { get; } = Store.KeyLayout.Prefix(Kind, "pools");

    public static string Pool(Cidr cidr) => Store.KeyLayout.Key(Kind, "pools", cidr.ToString());

    /// <summary>All address keys of every generation of a CIDR.</summary>
    public static string AddressesPrefix(Cidr cidr) => Store.KeyLayout.Prefix(Kind, "addr", cidr.ToString());

    public static string AddressesPrefix(Cidr cidr, string generation) => Store.KeyLayout.Prefix(Kind, "addr", cidr.ToString(), generation);

    public static string Address(Cidr cidr, string generation, UInt128 address) =>
        Store.KeyLayout.Key(Kind, "addr", cidr.ToString(), generation, IpNumber.ToAddress(address, cidr.V6).ToString());
}
