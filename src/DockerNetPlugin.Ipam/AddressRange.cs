namespace DockerNetPlugin.Ipam;

/// <summary>
/// Where dynamic addresses of a pool come from: the sub-pool (<c>--ip-range</c>) if any, else the pool,
/// minus the pool's own network and broadcast addresses (IPv4 up to /30) or its subnet-router anycast
/// address (IPv6, the base), and for IPv6 at most <c>v6Cap</c> addresses from the start.
/// </summary>
internal sealed record AddressRange(UInt128 First, ulong Count, bool V6)
{
    public UInt128 Last => First + Count - 1;

    public UInt128 At(ulong offset) => First + offset;

    public static AddressRange For(Cidr pool, Cidr? subPool, int v6Cap)
    {
        var source = subPool ?? pool;
        var first = source.Base;
        var last = source.Last;
        if (IsReserved(pool, first))
            first++;
        if (IsReserved(pool, last))
            last--;
        if (last < first || first < source.Base)
            return new AddressRange(source.Base, 0, pool.V6);
        if (pool.V6 && last - first >= (ulong)v6Cap)
            last = first + (ulong)v6Cap - 1;
        var count = (ulong)(last - first) + 1;
        return new AddressRange(first, count, pool.V6);
    }

    /// <summary>True for addresses no one may have: IPv4 network/broadcast (prefix ≤ 30), IPv6 subnet-router anycast.</summary>
    public static bool IsReserved(Cidr pool, UInt128 address) =>
        pool.V6
            ? address == pool.Base && pool.Prefix < 127
            : pool.Prefix <= 30 && (address == pool.Base || address == pool.Last);

    public override string ToString() =>
        $"{IpNumber.ToAddress(First, V6)}-{IpNumber.ToAddress(Last, V6)}";
}
