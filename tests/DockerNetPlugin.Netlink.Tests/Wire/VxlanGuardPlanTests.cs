using System.Net;
using DockerNetPlugin.Netlink.Nftables;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>What the guard asks of the kernel, without a kernel: the VTEP lists, the marker and the transaction plans.</summary>
public sealed class VxlanGuardPlanTests
{
    private readonly VxlanGuardPlan _plan = new("host-a", VxlanGuardTable.DefaultTableName);

    [Fact]
    public void Split_MixedMappedAndDuplicate_TwoFamiliesEachOnce()
    {
        var (v4, v6) = VxlanGuardPlan.Split(
            [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("::ffff:192.0.2.1"), IPAddress.Parse("fd00::1"), IPAddress.Parse("fd00::1"), IPAddress.Parse("192.0.2.2")]);

        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")], v4);
        Assert.Equal([IPAddress.Parse("fd00::1")], v6);
    }

    [Fact]
    public void Build_NewGuard_OneTransactionInDependencyOrder()
    {
        var tx = new NftTransaction(NftFamily.Inet, 7);

        _plan.Build(tx, 4789, [IPAddress.Parse("192.0.2.1")], []);

        Assert.Equal(
            [
                "add table inet dnp_vxlan_guard",
                "add set inet dnp_vxlan_guard vteps4",
                "add set inet dnp_vxlan_guard vteps6",
                "add element inet dnp_vxlan_guard vteps4 (1 from 192.0.2.1)",
                "add chain inet dnp_vxlan_guard input",
                "add rule inet dnp_vxlan_guard input \"dnp: vxlan from a non-VTEP ipv4 source\"",
                "add rule inet dnp_vxlan_guard input \"dnp: vxlan from a non-VTEP ipv6 source\"",
            ],
            tx.Steps.Select(s => s.Description));
        Assert.Equal(7u, tx.Generation);
    }

    [Fact]
    public void Marker_OwnerAndPort_IsOursOnlyForThisOwner()
    {
        Assert.Equal("dnp vxlan guard v1 owner=host-a port=4789", _plan.Marker(4789));
        Assert.True(_plan.IsOurs(new NftTable(NftFamily.Inet, "t", 1, "dnp vxlan guard v1 owner=host-a port=8472")));
        Assert.False(_plan.IsOurs(new NftTable(NftFamily.Inet, "t", 1, "dnp vxlan guard v1 owner=host-ab port=4789")));
        Assert.False(_plan.IsOurs(new NftTable(NftFamily.Inet, "t", 1, null)));
    }

    [Fact]
    public void ReplaceElements_ManyPeers_FlushThenChunksOfAtMost1024()
    {
        var tx = new NftTransaction(NftFamily.Inet);
        var v4 = Enumerable.Range(0, 2500).Select(i => new IPAddress([10, 0, (byte)(i >> 8), (byte)i])).ToList();

        _plan.ReplaceElements(tx, v4, []);

        Assert.Equal(
            ["flush set", "add element", "add element", "add element", "flush set"],
            tx.Steps.Select(s => s.Description[..s.Description.IndexOf(" inet", StringComparison.Ordinal)]));
        Assert.Contains("(452 from 10.0.8.0)", tx.Steps[3].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Counters_RulesByComment_SumsBothFamilies()
    {
        var counters = VxlanGuardPlan.Counters(
        [
            new NftRuleInfo(2, VxlanGuardPlan.Ipv6RuleComment, 1, 59),
            new NftRuleInfo(3, VxlanGuardPlan.Ipv4RuleComment, 2, 74),
        ]);

        Assert.Equal(new VxlanGuardCounters(2, 74, 1, 59), counters);
        Assert.Equal((3UL, 133UL), (counters.Packets, counters.Bytes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("quote\"")]
    public void Constructor_BadOwner_Throws(string owner) =>
        Assert.ThrowsAny<ArgumentException>(() => new VxlanGuardPlan(owner, VxlanGuardTable.DefaultTableName));

    [Fact]
    public void Constructor_BadTableName_Throws() =>
        Assert.Throws<ArgumentException>(() => new VxlanGuardPlan("host-a", "bad name"));

    [Fact]
    public void Comment_TooLong_Throws() =>
        Assert.Throws<ArgumentException>(() => NftUserData.Comment(new string('x', 128)));
}
