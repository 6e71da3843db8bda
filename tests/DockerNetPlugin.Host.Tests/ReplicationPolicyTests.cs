using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Replication;
using DockerNetPlugin.Replication;

namespace DockerNetPlugin.Host.Tests;

/// <summary>Replication creates only dnp networks: driver, IPAM driver, options and pools checked against the record.</summary>
public sealed class ReplicationPolicyTests
{
    private static readonly NetworkRecord s_record = new("web", "web", 4242, [new SubnetRecord("10.30.0.0/24", "10.30.0.1/24")], false, false, null,
        new Dictionary<string, string>(), "h1", DateTimeOffset.UnixEpoch);

    private static DockerNetworkSpec Spec(string driver = "dnp", string ipam = "dnp", Dictionary<string, string>? options = null,
        Dictionary<string, string>? ipamOptions = null, PoolSpec[]? pools = null) =>
        new("web", driver, ipam, pools ?? [new PoolSpec("10.30.0.0/24", null, "10.30.0.1")], options ?? new Dictionary<string, string>(),
            ipamOptions ?? new Dictionary<string, string>(), false, false, true, new Dictionary<string, string> { ["team"] = "a" });

    [Theory]
    [InlineData("dnp")]
    [InlineData("dnp:latest")]
    [InlineData("registry.example:5000/acme/dnp:1.2.3")]
    public void DnpUnderAnyOfItsNames_Created(string driver) =>
        Assert.Null(ReplicationPolicy.Refusal(s_record, Spec(driver, driver, new() { ["com.docker.network.driver.mtu"] = "1400", ["dnp.vni"] = "4242" })));

    [Theory]
    [InlineData("macvlan", "dnp")]
    [InlineData("bridge", "dnp")]
    [InlineData("evil/notdnp:latest", "dnp")]
    [InlineData("dnp", "default")]
    [InlineData("dnp", "dnpx")]
    [InlineData("dnp/../x", "dnp")]
    public void AnotherDriverOrIpamDriver_Refused(string driver, string ipam) =>
        Assert.NotNull(ReplicationPolicy.Refusal(s_record, Spec(driver, ipam)));

    [Fact]
    public void MulticastAndDocker28AnnouncementOptions_Replicated() =>
        Assert.Null(ReplicationPolicy.Refusal(s_record, Spec(options: new()
        {
            ["dnp.multicast"] = "true", ["com.docker.network.advertise_addr_nmsgs"] = "3", ["com.docker.network.advertise_addr_ms"] = "300",
        })));

    [Fact]
    public void OptionsOutsideTheAllowlist_Refused()
    {
        Assert.Contains("parent", ReplicationPolicy.Refusal(s_record, Spec(options: new() { ["parent"] = "eth0" })), StringComparison.Ordinal);
        Assert.Contains("IPAM option", ReplicationPolicy.Refusal(s_record, Spec(ipamOptions: new() { ["com.docker.network.ipam.serial"] = "x" })), StringComparison.Ordinal);
    }

    [Fact]
    public void PoolsNotTheRecords_Refused()
    {
        Assert.NotNull(ReplicationPolicy.Refusal(s_record, Spec(pools: [new PoolSpec("192.168.0.0/16", null, null)])));
        Assert.NotNull(ReplicationPolicy.Refusal(s_record, Spec(pools: [new PoolSpec("10.30.0.0/24", null, null), new PoolSpec("10.31.0.0/24", null, null)])));
        Assert.NotNull(ReplicationPolicy.Refusal(s_record, Spec(pools: [new PoolSpec("10.30.0.0/24", null, "10.30.0.9")])));
        Assert.NotNull(ReplicationPolicy.Refusal(s_record, Spec(pools: [new PoolSpec("10.30.0.0/24", "10.40.0.0/25", null)])));
        Assert.Null(ReplicationPolicy.Refusal(s_record, Spec(pools: [new PoolSpec("10.30.0.0/24", "10.30.0.128/25", null)])));
    }
}
