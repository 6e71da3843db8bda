using System.Net;
using DockerNetPlugin.Dns.Wire;

namespace DockerNetPlugin.Dns.Tests;

public sealed class LocalResolverTests
{
    private readonly NameTable _table = new();

    public LocalResolverTests()
    {
        _table.SetNetwork("n1", "shop");
        _table.SetNetwork("n2", "billing");
        _table.Upsert(Records.On("n1", "client", "10.1.0.2"));
        _table.Upsert(Records.On("n1", "web", "10.1.0.3", "fd01::3", aliases: ["frontend"]));
        _table.Upsert(Records.On("n1", "web2", "10.1.0.4", host: "h2", aliases: ["frontend"]));
        _table.Upsert(Records.On("n2", "ledger", "10.2.0.5"));
        _table.Upsert(Records.On("n2", "outsider", "10.2.0.9"));
    }

    private (LocalOutcome Outcome, List<DnsAnswer> Answers) Ask(string asker, string name, ushort type, string? arrivedOn = null)
    {
        DnsQueryParser.Parse(Messages.Query(name, type), out _, out var query);
        var answers = new List<DnsAnswer>();
        var outcome = LocalResolver.Resolve(query!, _table.Current.ViewFor(IPAddress.Parse(asker), arrivedOn), answers);
        return (outcome, answers);
    }

    [Fact]
    public void Resolve_ContainerNameOnAskersNetwork_AnswersItsAddress()
    {
        var (outcome, answers) = Ask("10.1.0.2", "web", DnsType.A);

        Assert.Equal(LocalOutcome.Answered, outcome);
        Assert.Equal(IPAddress.Parse("10.1.0.3"), Assert.Single(answers).Address);
    }

    [Fact]
    public void Resolve_MixedCase_IsCaseInsensitive()
    {
        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.2", "WeB.ShOp", DnsType.A).Outcome);
    }

    [Fact]
    public void Resolve_AliasOfTwoContainersOnTwoHosts_AnswersBoth()
    {
        var (_, answers) = Ask("10.1.0.2", "frontend", DnsType.A);

        Assert.Equal(["10.1.0.3", "10.1.0.4"], answers.Select(a => a.Address!.ToString()).Order());
    }

    [Fact]
    public void Resolve_NameDotNetwork_AnswersLikeDocker()
    {
        Assert.Equal(IPAddress.Parse("10.1.0.3"), Assert.Single(Ask("10.1.0.2", "web.shop", DnsType.A).Answers).Address);
        Assert.Equal(2, Ask("10.1.0.2", "frontend.shop", DnsType.A).Answers.Count);
    }

    [Fact]
    public void Resolve_NameDotOtherNetwork_IsNotOurs()
    {
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "web.billing", DnsType.A).Outcome);
    }

    [Fact]
    public void Resolve_NameOnNetworkTheAskerIsNotOn_IsNotOurs()
    {
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "ledger", DnsType.A).Outcome);
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.2.0.9", "web", DnsType.A).Outcome);
    }

    [Fact]
    public void Resolve_UnknownAsker_GetsNothingFromUs()
    {
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.9.9.9", "web", DnsType.A).Outcome);
    }

    [Fact]
    public void Resolve_ContainerOnTwoNetworks_SeesBoth()
    {
        _table.Upsert(Records.On("n1", "bridge", "10.1.0.7"));
        _table.Upsert(Records.On("n2", "bridge", "10.2.0.7"));

        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.7", "ledger", DnsType.A).Outcome);
        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.7", "web", DnsType.A).Outcome);
        Assert.Equal(LocalOutcome.Answered, Ask("10.2.0.7", "web.shop", DnsType.A).Outcome);
    }

    [Fact]
    public void Resolve_AskerMustBeOnTheNetworkTheQueryArrivedOn()
    {
        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.2", "web", DnsType.A, arrivedOn: "n1").Outcome);
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "web", DnsType.A, arrivedOn: "n2").Outcome);
    }

    [Fact]
    public void Resolve_Aaaa_AnswersIpv6()
    {
        Assert.Equal(IPAddress.Parse("fd01::3"), Assert.Single(Ask("10.1.0.2", "web", DnsType.AAAA).Answers).Address);
    }

    [Fact]
    public void Resolve_AaaaOfIpv4OnlyName_IsNoData()
    {
        var (outcome, answers) = Ask("10.1.0.2", "client", DnsType.AAAA);

        Assert.Equal(LocalOutcome.NoData, outcome);
        Assert.Empty(answers);
    }

    [Fact]
    public void Resolve_OtherTypeOfOwnName_IsNoData()
    {
        Assert.Equal(LocalOutcome.NoData, Ask("10.1.0.2", "web", 16 /* TXT */).Outcome);
    }

    [Fact]
    public void Resolve_PtrV4_AnswersContainerDotNetwork()
    {
        var (outcome, answers) = Ask("10.1.0.2", "3.0.1.10.in-addr.arpa", DnsType.PTR);

        Assert.Equal(LocalOutcome.Answered, outcome);
        Assert.Equal("web.shop", Messages.NameText(Assert.Single(answers).Target!));
    }

    [Fact]
    public void Resolve_PtrV6_AnswersContainerDotNetwork()
    {
        var name = "3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.d.f.ip6.arpa";

        Assert.Equal("web.shop", Messages.NameText(Assert.Single(Ask("10.1.0.2", name, DnsType.PTR).Answers).Target!));
    }

    [Fact]
    public void Resolve_PtrOfAddressOnAnotherNetwork_IsNotOurs()
    {
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "5.0.2.10.in-addr.arpa", DnsType.PTR).Outcome);
    }

    [Fact]
    public void Resolve_AfterRemove_IsGone()
    {
        Assert.True(_table.Remove("n1", "e-web-n1"));

        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.2", "frontend", DnsType.A).Outcome);
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "web", DnsType.A).Outcome);
    }

    [Fact]
    public void Resolve_AfterRename_AnswersTheNewName()
    {
        _table.Upsert(Records.On("n1", "web", "10.1.0.3") with { ContainerName = "web-renamed" });

        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "web", DnsType.A).Outcome);
        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.2", "web-renamed", DnsType.A).Outcome);
    }

    [Fact]
    public void ReplaceHost_EmptyForDeadHost_RemovesOnlyItsRecords()
    {
        var rejected = _table.ReplaceHost("h2", []);

        Assert.Empty(rejected);
        Assert.Equal(IPAddress.Parse("10.1.0.3"), Assert.Single(Ask("10.1.0.2", "frontend", DnsType.A).Answers).Address);
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.1.0.2", "web2", DnsType.A).Outcome);
    }

    [Fact]
    public void ReplaceHost_InvalidRecords_AreSkippedWithReason()
    {
        var rejected = _table.ReplaceHost("h3", [Records.On("n1", "ok", "10.1.0.20", host: "h3"), Records.On("n1", "bad", null, host: "h3"), Records.On("n1", "other", "10.1.0.21", host: "h4")]);

        Assert.Equal(["no address", "owned by host h4, not h3"], rejected.Select(r => r.Error));
        Assert.Equal(LocalOutcome.Answered, Ask("10.1.0.2", "ok", DnsType.A).Outcome);
    }

    [Fact]
    public void Upsert_NameWithLongLabel_ThrowsSayingWhy()
    {
        var ex = Assert.Throws<ArgumentException>(() => _table.Upsert(Records.On("n1", new string('a', 64), "10.1.0.30")));

        Assert.Contains("not a DNS name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_Ipv6InIpv4Slot_Throws()
    {
        Assert.Throws<ArgumentException>(() => _table.Upsert(Records.On("n1", "x", "fd00::1")));
    }

    [Fact]
    public void RemoveNetwork_DropsItsNames()
    {
        Assert.True(_table.RemoveNetwork("n2"));

        Assert.Empty(_table.GetRecords("n2"));
        Assert.Equal(LocalOutcome.NotOurs, Ask("10.2.0.9", "ledger", DnsType.A).Outcome);
    }
}
