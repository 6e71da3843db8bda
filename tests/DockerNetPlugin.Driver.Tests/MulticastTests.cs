using System.Net;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests;

/// <summary><c>-o dnp.multicast=true</c>: one flood entry per remote host with endpoints, kept in step with the hosts.</summary>
public sealed class MulticastTests
{
    private static readonly Dictionary<string, string> s_multicast = new() { [DriverOptionNames.Multicast] = "true" };

    private static EndpointRecord On(string host, string vtep, int i) => DriverBed.Remote("net1", i, host) with { Locator = vtep };

    [Fact]
    public async Task Flood_FollowsRemoteHostsJoiningAndLeaving()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1", extra: s_multicast);
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var ns = bed.Sandbox("net1");
        var b1 = On("host-b", "192.0.2.2", 1);
        var b2 = On("host-b", "192.0.2.2", 2);
        var c1 = On("host-c", "192.0.2.3", 3);

        await bed.PublishRemoteAsync(b1);
        await bed.PublishRemoteAsync(b2);
        await bed.PublishRemoteAsync(c1);
        await Eventually.TrueAsync(() => Flood(ns).SetEquals(Vteps("192.0.2.2", "192.0.2.3")), "one flood entry per remote host");
        await Eventually.TrueAsync(() => ns.Use(() => ns.Fdb.Count) == 3, "unicast entries as without multicast");

        await bed.DeleteRemoteAsync(b1); // host-b still has b2 on the network
        await Eventually.TrueAsync(() => ns.Use(() => ns.Fdb.Count) == 2, "b1's own entry withdrawn");
        Assert.True(Flood(ns).SetEquals(Vteps("192.0.2.2", "192.0.2.3")));

        await bed.DeleteRemoteAsync(c1); // host-c's last endpoint
        await Eventually.TrueAsync(() => Flood(ns).SetEquals(Vteps("192.0.2.2")), "host-c's flood entry withdrawn");
        await bed.DeleteRemoteAsync(b2);
        await Eventually.TrueAsync(() => Flood(ns).Count == 0, "no remote host left: no flood entry");
        Assert.True(bed.Driver.GetStatus().Networks.Single().Multicast);
    }

    [Fact]
    public async Task Flood_ReplayedIntoANewNamespace_AndNotForThisHost()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1", extra: s_multicast);
        await bed.PublishRemoteAsync(On("host-b", "192.0.2.2", 1));
        await bed.PublishRemoteAsync(On(DriverBed.HostId, "192.0.2.1", 2)); // this host's own record: never a flood target
        await Eventually.TrueAsync(() => bed.Driver.ListPeers("net1").Count == 2, "records in the peer table");

        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        Assert.True(Flood(bed.Sandbox("net1")).SetEquals(Vteps("192.0.2.2")));
        Assert.True(bed.Sandbox("net1").Spec.Multicast);
    }

    [Fact]
    public async Task WithoutTheOption_NoFloodEntryAtAll()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var ns = bed.Sandbox("net1");

        await bed.PublishRemoteAsync(On("host-b", "192.0.2.2", 1));
        await bed.PublishRemoteAsync(On("host-c", "192.0.2.3", 2));
        await Eventually.TrueAsync(() => ns.Use(() => ns.Fdb.Count) == 2, "unicast entries programmed");
        ns.Miss!(new Netlink.Model.MissResync()); // the miss responder's full replay too
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);
        Assert.True((await reconciler.RunAsync(repair: true, CancellationToken.None)).Clean);

        Assert.Empty(Flood(ns));
        Assert.False(ns.Spec.Multicast);
        Assert.False(bed.Driver.GetStatus().Networks.Single().Multicast);
    }

    [Fact]
    public async Task Reconciler_FloodEntryLostOrStray_DoctorFindsAndRepairs()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1", extra: s_multicast);
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var ns = bed.Sandbox("net1");
        await bed.PublishRemoteAsync(On("host-b", "192.0.2.2", 1));
        await Eventually.TrueAsync(() => Flood(ns).Count == 1, "flood entry programmed");
        ns.Use(() =>
        {
            ns.Flood.Clear();
            ns.Flood.Add(IPAddress.Parse("192.0.2.99"));
            return 0;
        });
        await using var reconciler = new Reconciler(bed.Driver, null, NullLogger.Instance);

        var check = await reconciler.RunAsync(repair: false, CancellationToken.None);
        Assert.Equal([DriftKinds.FloodMissing, DriftKinds.FloodStale], check.Found.Select(d => d.Kind).Order(StringComparer.Ordinal));
        var repaired = await reconciler.RunAsync(repair: true, CancellationToken.None);

        Assert.True(repaired.Clean, string.Join("; ", repaired.Remaining));
        Assert.True(Flood(ns).SetEquals(Vteps("192.0.2.2")));
    }

    [Fact]
    public async Task Option_Invalid_RefusedWithReason()
    {
        await using var bed = await DriverBed.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => bed.CreateNetworkAsync("net1", extra: new Dictionary<string, string> { [DriverOptionNames.Multicast] = "yes" }));

        Assert.Contains("dnp.multicast='yes' must be true or false", e.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Driver.LocalNetworks());
    }

    private static HashSet<IPAddress> Flood(FakeNamespace ns) => ns.Use(() => ns.Flood.ToHashSet());

    private static HashSet<IPAddress> Vteps(params string[] vteps) => vteps.Select(IPAddress.Parse).ToHashSet();
}
