using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Liveness;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests;

/// <summary>
/// The liveness rule on the in-memory kernel with a fake prober: a host whose lease lapsed keeps its entries while it
/// answers, and loses them when it stops answering, is forgotten, or a live record claims its address or MAC. Rounds
/// run when the test calls them (the clock is the test's).
/// </summary>
public sealed class LivenessTests
{
    private const string Peer = "host-b";
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task OwnerDeletesOneRecord_WhileItsLeaseIsCurrent_EntriesGoAtOnce()
    {
        await using var bed = await StartWithPeersAsync(2);
        var ns = bed.Sandbox("net1");

        await bed.DeleteRemoteAsync(DriverBed.Remote("net1", 1, Peer));

        await Eventually.TrueAsync(() => !HasPeer(ns, 1), "the removed container's entries went");
        Assert.True(HasPeer(ns, 2));
        Assert.Empty(bed.Driver.LapsedHosts());
        Assert.Empty(bed.Prober.Probes);
    }

    [Fact]
    public async Task LeaseLapses_HostAnswers_EntriesStayUntouched_AndItIsStoreUnreachable()
    {
        await using var bed = await StartWithPeersAsync(2, leased: true);
        var ns = bed.Sandbox("net1");
        var batches = ns.Use(() => ns.Batches);
        bed.Prober.SetUp(Peer, true);

        await LapseAsync(bed);
        for (var round = 0; round < 5; round++)
            await bed.Driver.CheckLivenessAsync(Ct);

        Assert.Equal(HostStates.StoreUnreachable, bed.Driver.LapsedHosts()[Peer]);
        Assert.True(HasPeer(ns, 1) && HasPeer(ns, 2));
        Assert.Equal(batches, ns.Use(() => ns.Batches)); // not one kernel write
        Assert.Equal(3, bed.Driver.ListPeers("net1").Count);
        Assert.All(bed.Prober.Probes, p => Assert.Equal(IPAddress.Parse("192.0.2.2"), p.Locator));
    }

    [Fact]
    public async Task LeaseLapses_HostSilent_DroppedAfterThreeUnansweredProbes()
    {
        await using var bed = await StartWithPeersAsync(2, leased: true);
        var ns = bed.Sandbox("net1");

        await LapseAsync(bed);
        await bed.Driver.CheckLivenessAsync(Ct);
        await bed.Driver.CheckLivenessAsync(Ct);

        Assert.Equal(HostStates.Unanswered, bed.Driver.LapsedHosts()[Peer]);
        Assert.True(HasPeer(ns, 1) && HasPeer(ns, 2));

        await bed.Driver.CheckLivenessAsync(Ct);

        Assert.False(HasPeer(ns, 1) || HasPeer(ns, 2));
        Assert.Empty(bed.Driver.LapsedHosts());
        Assert.Single(bed.Driver.ListPeers("net1")); // the local endpoint
    }

    [Fact]
    public async Task LapsedHostAnswersThenFallsSilent_DroppedAfterThreeMissesInARow()
    {
        await using var bed = await StartWithPeersAsync(1, leased: true);
        var ns = bed.Sandbox("net1");
        await LapseAsync(bed);

        await bed.Driver.CheckLivenessAsync(Ct);
        await bed.Driver.CheckLivenessAsync(Ct);
        bed.Prober.SetUp(Peer, true);
        await bed.Driver.CheckLivenessAsync(Ct); // answered: the count starts again
        bed.Prober.SetUp(Peer, false);
        await bed.Driver.CheckLivenessAsync(Ct);
        await bed.Driver.CheckLivenessAsync(Ct);
        Assert.True(HasPeer(ns, 1));

        await bed.Driver.CheckLivenessAsync(Ct);

        Assert.False(HasPeer(ns, 1));
    }

    [Fact]
    public async Task LapsedHostReturns_RepublishedEntriesUntouched_WhatItNoLongerHasGoes()
    {
        await using var bed = await StartWithPeersAsync(2, leased: true);
        var ns = bed.Sandbox("net1");
        bed.Prober.SetUp(Peer, true);
        await LapseAsync(bed);
        await bed.Driver.CheckLivenessAsync(Ct);
        var batches = ns.Use(() => ns.Batches);

        // It comes back with a new lease as the lease keeper writes: its records first, its host record last; endpoint 2
        // left while it was cut off. Between the two its record is admitted on the locator it had (no kernel write).
        await using var lease = await bed.Cluster.GrantLeaseAsync(TimeSpan.FromSeconds(30), Ct);
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 1, Peer), lease, withHost: false);
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 9, "host-c")); // the same watch after it: once seen, the record above was handled
        await Eventually.TrueAsync(() => bed.Driver.ListPeers("net1").Count == 4, "the watch saw both records");
        Assert.Equal(0, bed.Driver.InvalidRecords.Count);
        Assert.True(HasPeer(ns, 1));
        Assert.Equal(batches + 1, ns.Use(() => ns.Batches)); // host-c's entry only: the same record again wrote nothing
        Assert.Contains(IPAddress.Parse("192.0.2.2"), bed.Guard.Vteps);
        await bed.PublishRemoteHostAsync(Peer, "192.0.2.2", lease);
        await Eventually.TrueAsync(async () => await bed.Cluster.GetAsync(ClusterKeys.Host(Peer), Ct) is not null, "its host record is back");
        await bed.Driver.CheckLivenessAsync(Ct);

        Assert.Empty(bed.Driver.LapsedHosts());
        Assert.True(HasPeer(ns, 1));
        Assert.False(HasPeer(ns, 2));
        Assert.Equal(batches + 2, ns.Use(() => ns.Batches)); // one batch more: endpoint 2 out
    }

    [Fact]
    public async Task LiveRecordClaimsTheAddressOfALapsedOne_NewOneWinsAtOnce()
    {
        await using var bed = await StartWithPeersAsync(2, leased: true);
        var ns = bed.Sandbox("net1");
        bed.Prober.SetUp(Peer, true);
        await LapseAsync(bed);

        var claimant = DriverBed.Remote("net1", 1, "host-c") with { EndpointId = "newcomer", Mac = "02:42:0a:14:00:ee", Locator = "192.0.2.3" };
        await bed.PublishRemoteAsync(claimant);

        var ip = IPAddress.Parse("10.20.0.101");
        await Eventually.TrueAsync(() => ns.HasPeer(ip, PhysicalAddress.Parse("02-42-0A-14-00-EE"), IPAddress.Parse("192.0.2.3")), "the new owner programmed");
        Assert.False(ns.Use(() => ns.Fdb.Any(f => f.Mac.Equals(Mac(1)))));
        Assert.DoesNotContain(bed.Driver.ListPeers("net1"), r => r.EndpointId == "remote0001");
        Assert.True(HasPeer(ns, 2)); // the lapsed host's other record stays
    }

    [Fact]
    public async Task ForgetHost_LapsedHostStillAnswering_EntriesGoAtOnce()
    {
        await using var bed = await StartWithPeersAsync(2, leased: true);
        var ns = bed.Sandbox("net1");
        bed.Prober.SetUp(Peer, true);
        await LapseAsync(bed);

        await bed.Driver.ForgetHostAsync(Peer, Ct);

        Assert.False(HasPeer(ns, 1) || HasPeer(ns, 2));
        Assert.Empty(bed.Driver.LapsedHosts());
        Assert.NotNull(await bed.Cluster.GetAsync(ClusterKeys.ForgottenHost(Peer), Ct)); // the other hosts drop it too
    }

    [Fact]
    public async Task ForgottenMarkInTheStore_LapsedHostDroppedAtTheNextRound()
    {
        await using var bed = await StartWithPeersAsync(1, leased: true);
        var ns = bed.Sandbox("net1");
        bed.Prober.SetUp(Peer, true);
        await LapseAsync(bed);

        await bed.Cluster.PutAsync(ClusterKeys.ForgottenHost(Peer), "\"host-b\""u8.ToArray(), null, Ct); // another host ran forget-host
        await bed.Driver.CheckLivenessAsync(Ct);

        Assert.False(HasPeer(ns, 1));
    }

    /// <summary>A driver with a joined local endpoint and <paramref name="count"/> records of <see cref="Peer"/>.</summary>
    [Fact]
    public async Task LeaseLapses_HostAnswers_TheVxlanGuardKeepsItsVtep_UntilItIsDropped()
    {
        await using var bed = await StartWithPeersAsync(2, leased: true);
        var vtep = IPAddress.Parse("192.0.2.2");
        await Eventually.TrueAsync(() => bed.Guard.Vteps.Contains(vtep), "the peer's VTEP let in");
        bed.Prober.SetUp(Peer, true);

        await LapseAsync(bed); // its host record went: only the entries kept for it hold its VTEP now
        await bed.Driver.CheckLivenessAsync(Ct);
        Assert.Contains(vtep, bed.Guard.Vteps);

        bed.Prober.SetUp(Peer, false);
        for (var round = 0; round < 3; round++)
            await bed.Driver.CheckLivenessAsync(Ct);

        Assert.Empty(bed.Driver.LapsedHosts());
        await Eventually.TrueAsync(() => !bed.Guard.Vteps.Contains(vtep), "the dead host's VTEP no longer let in");
    }

    private static async Task<DriverBed> StartWithPeersAsync(int count, bool leased = false)
    {
        var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var lease = leased ? await bed.Cluster.GrantLeaseAsync(KvLimits.MinLeaseTtl, Ct) : null;
        for (var i = 1; i <= count; i++)
            await bed.PublishRemoteAsync(DriverBed.Remote("net1", i, Peer), lease);
        var ns = bed.Sandbox("net1");
        await Eventually.TrueAsync(() => Enumerable.Range(1, count).All(i => HasPeer(ns, i)), "the peer's entries programmed");
        return bed;
    }

    /// <summary>
    /// The peer stops renewing its lease (cut off from the store): one TTL later its host record and endpoint records
    /// go in one revision, and this host notices.
    /// </summary>
    private static async Task LapseAsync(DriverBed bed)
    {
        var entry = await bed.Cluster.GetAsync(ClusterKeys.Host(Peer), Ct);
        Assert.NotNull(entry?.LeaseId);
        var lease = await bed.Cluster.ResumeLeaseAsync(entry.LeaseId, KvLimits.MinLeaseTtl, Ct);
        Assert.NotNull(lease);
        await lease.DetachAsync();
        await Eventually.TrueAsync(() => bed.Driver.LapsedHosts().ContainsKey(Peer), "the lapse was noticed");
    }

    private static PhysicalAddress Mac(int i) => PhysicalAddress.Parse(DriverBed.Remote("net1", i).Mac.Replace(':', '-'));

    private static bool HasPeer(FakeNamespace ns, int i) =>
        ns.HasPeer(IPAddress.Parse($"10.20.0.{100 + i}"), Mac(i), IPAddress.Parse("192.0.2.2"));
}
