namespace DockerNetPlugin.Ipam.Tests;

/// <summary>Two services with different host ids (h1, h2) on one store: two hosts sharing the cluster store.</summary>
public abstract class TwoHostIpamTestBase : IpamStoreTestBase
{
    protected IpamService H1 { get; private set; } = null!;

    protected IpamService H2 { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var options = new IpamOptions { EndpointRequestsCarryMac = true };
        H1 = Env.Host("h1", options);
        H2 = Env.Host("h2", options);
    }
}
