namespace DockerNetPlugin.Ipam;

/// <summary>
/// Root of every IPAM refusal. Messages say what was wrong and what to do; the Host returns them as
/// <c>{"Error": message}</c>. Store failures (<c>StoreUnavailableException</c>) are not wrapped.
/// </summary>
public class IpamException : Exception
{
    public IpamException(string message) : base(message) { }
    public IpamException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The requested subnet intersects a pool already in use (or belongs to another logical network).</summary>
public sealed class PoolOverlapException : IpamException
{
    public PoolOverlapException(string message) : base(message) { }
}

/// <summary>No free address left in a pool, or no free default pool left.</summary>
public sealed class PoolExhaustedException : IpamException
{
    public PoolExhaustedException(string message) : base(message) { }
}

/// <summary>An explicitly requested address is already taken (by an endpoint, the gateway or an aux address).</summary>
public sealed class AddressInUseException : IpamException
{
    public AddressInUseException(string message) : base(message) { }
}

/// <summary>An explicitly requested address lies outside the pool (Docker ignores this for aux addresses).</summary>
public sealed class AddressOutOfRangeException : IpamException
{
    public AddressOutOfRangeException(string message) : base(message) { }
}

/// <summary>Malformed or contradictory input: bad CIDR, host bits set, wrong family, SubPool outside Pool.</summary>
public sealed class InvalidIpamRequestException : IpamException
{
    public InvalidIpamRequestException(string message) : base(message) { }
}

/// <summary>The PoolID names no pool in the store.</summary>
public sealed class UnknownPoolException : IpamException
{
    public UnknownPoolException(string message) : base(message) { }
}

/// <summary>A shared record kept changing under a compare-and-set for all allowed attempts.</summary>
public sealed class IpamContentionException : IpamException
{
    public IpamContentionException(string message) : base(message) { }
}
