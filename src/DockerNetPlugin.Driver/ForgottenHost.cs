namespace DockerNetPlugin.Driver;

/// <summary>What <see cref="OverlayDriver.ForgetHostAsync"/> removed from the store for a host that is gone for good.</summary>
/// <param name="HostId">The forgotten host.</param>
/// <param name="EndpointRecords">Its endpoint records still in the store (normally none: they go with its lease).</param>
/// <param name="Memberships">Logical networks it was a member of.</param>
/// <param name="NetworksRemoved">Logical networks it was the last member of, removed with their VNI.</param>
public sealed record ForgottenHost(string HostId, int EndpointRecords, int Memberships, IReadOnlyList<string> NetworksRemoved);
