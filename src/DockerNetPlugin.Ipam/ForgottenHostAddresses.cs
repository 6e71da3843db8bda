namespace DockerNetPlugin.Ipam;

/// <summary>What <see cref="IpamService.ForgetHostAsync"/> released for a host that is gone for good.</summary>
/// <param name="Addresses">Endpoint addresses the host held.</param>
/// <param name="PoolHolds">Pools the host held (all its holds on each are dropped).</param>
/// <param name="PoolsRemoved">Pools that went with them (the host was their last holder).</param>
public sealed record ForgottenHostAddresses(int Addresses, int PoolHolds, int PoolsRemoved);
