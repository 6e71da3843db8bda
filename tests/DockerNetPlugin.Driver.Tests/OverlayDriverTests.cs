using System.Net;
using System.Net.NetworkInformation;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Driver.Tests;

public sealed class OverlayDriverTests
{
    [Fact]
    public async Task Join_NewEndpoint_BuildsVethAndPublishesRecord()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        var created = await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        Assert.Equal("02:42:0a:14:00:02", Netlink.MacText.Format(created.MacToReport!));

        var joined = await bed.Driver.JoinAsync("net1", "ep1", CancellationToken.None);

        Assert.Equal(DeviceNames.ContainerSide("ep1"), joined.SourceInterfaceName);
        Assert.Contains(DeviceNames.SandboxSide("ep1"), bed.Sandbox("net1").Veths);
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
        Assert.True(bed.Driver.IsSandboxOpen("net1"));
        Assert.Equal(1, bed.Driver.GetStatus().Networks.Single().LocalEndpoints);
    }

    [Fact]
    public async Task Leave_ThenDeleteEndpoint_WithdrawsRecordAndRemovesNamespace()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        await bed.Driver.LeaveAsync("net1", "ep1", CancellationToken.None);
        Assert.False(await bed.RecordExistsAsync("net1", "ep1"));
        await bed.VethDeletionsDoneAsync(); // deleted after the reply
        Assert.DoesNotContain(DeviceNames.SandboxSide("ep1"), bed.Sandbox("net1").Veths);

        await bed.Driver.DeleteEndpointAsync("net1", "ep1", CancellationToken.None);
        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("net1")));
        Assert.False(bed.Driver.IsSandboxOpen("net1"));
        await bed.Driver.LeaveAsync("net1", "ep1", CancellationToken.None); // repeated: fine
        await bed.Driver.DeleteEndpointAsync("nope", "ep1", CancellationToken.None);
    }

    [Fact]
    public async Task CreateEndpoint_Invalid_RefusedWithReason()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        var outside = await Assert.ThrowsAsync<InvalidRequestException>(() => bed.CreateEndpointAsync("net1", "ep1", "10.99.0.2/24"));
        Assert.Contains("outside the network's subnets", outside.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidRequestException>(() => bed.Driver.CreateEndpointAsync(new EndpointCreation("net1", "ep1", null, null, null), CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bed.CreateEndpointAsync("nope", "ep1", "10.20.0.2/24"));
        await Assert.ThrowsAsync<NotFoundException>(() => bed.Driver.JoinAsync("net1", "missing", CancellationToken.None));

        await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        var again = await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24"); // Docker retries
        Assert.NotNull(again.MacToReport);
        await Assert.ThrowsAsync<ConflictException>(() => bed.CreateEndpointAsync("net1", "ep1", "10.20.0.3/24"));
        var withMac = await bed.Driver.CreateEndpointAsync(new EndpointCreation("net1", "ep2", InterfaceAddress.Parse("10.20.0.4/24", "a"), null, PhysicalAddress.Parse("02-00-00-00-00-09")), CancellationToken.None);
        Assert.Null(withMac.MacToReport);
    }

    [Fact]
    public async Task Join_SandboxCannotBeBuilt_LeavesNothingBehind()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        bed.Kernel.FailNextOpen = true;

        await Assert.ThrowsAsync<DataPathException>(() => bed.Driver.JoinAsync("net1", "ep1", CancellationToken.None));

        Assert.False(bed.Driver.IsSandboxOpen("net1"));
        Assert.False(await bed.RecordExistsAsync("net1", "ep1"));
        await bed.Driver.JoinAsync("net1", "ep1", CancellationToken.None); // and a retry works
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
    }

    [Fact]
    public async Task CreateNetwork_SecondDockerNetworkOfSameLogicalNetwork_Refused()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1", logical: "prod");
        await bed.CreateNetworkAsync("net1", logical: "prod"); // repeated call: harmless
        var e = await Assert.ThrowsAsync<ConflictException>(() => bed.CreateNetworkAsync("net2", logical: "prod"));
        Assert.Contains("already on this host", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConflictException>(() => bed.CreateNetworkAsync("net1", logical: "other"));
        await Assert.ThrowsAsync<InvalidRequestException>(() => bed.Driver.CreateNetworkAsync(new NetworkCreation("x", new Dictionary<string, string>(), false, false, []), CancellationToken.None));
    }

    [Fact]
    public async Task CreateNetwork_ConcurrentForOneLogicalNetwork_OnlyOneRegistered()
    {
        await using var bed = await DriverBed.StartAsync();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await bed.CreateNetworkAsync($"net{i}", logical: "shared");
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        })).ToList();
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(r => r));
        Assert.Single(bed.Driver.ListLocalNetworks());
    }

    [Fact]
    public async Task CreateNetwork_OptionsAndVni_ValidatedAndKept()
    {
        await using var bed = await DriverBed.StartAsync();
        var create = (Dictionary<string, string> o) => bed.Driver.CreateNetworkAsync(new NetworkCreation("n", o, false, false,
            [new SubnetSpec(IPNetwork.Parse("10.30.0.0/24"), null)]), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidRequestException>(() => create(new() { [DriverOptionNames.Vni] = "abc" }));
        await Assert.ThrowsAsync<InvalidRequestException>(() => create(new() { [DriverOptionNames.Vni] = "12" }));
        await Assert.ThrowsAsync<InvalidRequestException>(() => create(new() { [DriverOptionNames.Mtu] = "10" }));
        await Assert.ThrowsAsync<InvalidRequestException>(() => create(new() { [DriverOptionNames.Network] = "bad name!" }));
        await create(new() { [DriverOptionNames.Vni] = "5000", [DriverOptionNames.Mtu] = "1400" });
        var network = Assert.Single(bed.Driver.ListLocalNetworks());
        Assert.Equal(5000u, network.Vni);
        Assert.Equal(1400, network.Mtu);
        var record = Assert.Single(await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None));
        Assert.Equal(5000u, record.Vni);
        Assert.Single(await bed.Driver.ListMembersAsync("n", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteNetwork_LastHost_RemovesLogicalNetworkAndTombstones()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1", logical: "prod");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        await bed.Driver.DeleteNetworkAsync("net1", CancellationToken.None);

        Assert.Empty(bed.Driver.ListLocalNetworks());
        Assert.Empty(await bed.Driver.ListLogicalNetworksAsync(CancellationToken.None));
        Assert.False(await bed.RecordExistsAsync("prod", "ep1"));
        Assert.Null(bed.Kernel.Namespace(bed.SandboxPath("prod")));
        Assert.True(bed.Driver.Deleted.RecentlyDeletedHere("prod"));
        Assert.Equal("prod", bed.Driver.Deleted.Take("net1"));
        Assert.Null(bed.Driver.Deleted.Take("net1"));
        await bed.Driver.DeleteNetworkAsync("net1", CancellationToken.None); // unknown: fine
    }

    [Fact]
    public async Task RemotePeers_ProgrammedFromTheWatch_AndRemovedWithTheirRecords()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        var early = DriverBed.Remote("net1", 1);
        await bed.PublishRemoteAsync(early); // known before the namespace exists: replayed when it is built
        await Eventually.TrueAsync(() => bed.Driver.ListPeers("net1").Count == 1, "the watch saw the early record");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        var ns = bed.Sandbox("net1");
        Assert.True(ns.HasPeer(IPAddress.Parse("10.20.0.101"), PhysicalAddress.Parse(early.Mac.Replace(':', '-')), IPAddress.Parse("192.0.2.2")));

        var late = DriverBed.Remote("net1", 2);
        await bed.PublishRemoteAsync(late);
        await Eventually.TrueAsync(() => ns.HasPeer(IPAddress.Parse("10.20.0.102"), PhysicalAddress.Parse(late.Mac.Replace(':', '-')), IPAddress.Parse("192.0.2.2")), "late peer programmed");

        var moved = late with { HostId = "host-c", Locator = "192.0.2.3" }; // the endpoint moved to another host
        await bed.PublishRemoteAsync(moved);
        await Eventually.TrueAsync(() => ns.HasPeer(IPAddress.Parse("10.20.0.102"), PhysicalAddress.Parse(late.Mac.Replace(':', '-')), IPAddress.Parse("192.0.2.3")), "moved peer re-pointed");

        await bed.DeleteRemoteAsync(early);
        await Eventually.TrueAsync(() => ns.Use(() => !ns.Neighbours.Any(n => n.Ip.Equals(IPAddress.Parse("10.20.0.101")))), "removed peer gone");
        Assert.Equal(1, ns.Use(() => ns.Fdb.Count));
        Assert.Equal(["net1"], bed.Driver.ListPeerNetworks());
        Assert.Equal(2, bed.Driver.ListPeers("net1").Count); // the local endpoint and the remaining remote one
        Assert.Equal(1, bed.Driver.GetStatus().Networks.Single().RemotePeers);
    }

    [Fact]
    public async Task Miss_ForAKnownPeer_ProgramsIt_ForAnUnknownAddress_Nothing()
    {
        await using var bed = await DriverBed.StartAsync();
        var (ns, ip, mac) = await bed.JoinedWithRemotePeerAsync();

        ns.Use(() => { ns.Neighbours.Clear(); ns.Fdb.Clear(); return 0; }); // deleted by hand
        ns.Miss!(new L3Miss(1, ip));
        Assert.True(ns.Use(() => ns.Neighbours.Contains(new Peers.NeighbourEntry(ip, mac))));
        ns.Use(() => { ns.Neighbours.Clear(); ns.Fdb.Clear(); return 0; });
        ns.Miss!(new L2Miss(1, mac));
        Assert.True(ns.HasPeer(ip, mac, DriverBed.RemoteVtep));
        ns.Use(() => { ns.Neighbours.Clear(); ns.Fdb.Clear(); return 0; });
        ns.Miss!(new MissResync());
        Assert.True(ns.HasPeer(ip, mac, DriverBed.RemoteVtep));
        var batches = ns.Batches;
        ns.Miss!(new L3Miss(1, IPAddress.Parse("10.20.0.250")));
        Assert.Equal(batches, ns.Batches);
    }

    [Fact]
    public async Task Restart_RestoresNetworksReopensNamespacesAndRepublishes()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.CreateEndpointAsync("net1", "ep2", "10.20.0.3/24");
        var opened = bed.Kernel.Opened;

        await bed.RestartAsync();

        Assert.Equal(opened + 1, bed.Kernel.Opened);
        Assert.True(bed.Driver.IsSandboxOpen("net1"));
        Assert.True(await bed.RecordExistsAsync("net1", "ep1"));
        Assert.False(await bed.RecordExistsAsync("net1", "ep2"));
        var status = Assert.Single(bed.Driver.GetStatus().Networks);
        Assert.Equal(2, status.LocalEndpoints);
        await bed.Driver.LeaveAsync("net1", "ep1", CancellationToken.None);
        Assert.False(await bed.RecordExistsAsync("net1", "ep1"));
    }

    [Fact]
    public async Task Join_WhileAnotherNetworksStoreWriteHangs_IsNotBlocked()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("slow", subnet: "10.20.0.0/24", gateway: "10.20.0.1/24");
        await bed.CreateNetworkAsync("fast", subnet: "10.21.0.0/24", gateway: "10.21.0.1/24");
        await bed.CreateEndpointAsync("slow", "ep1", "10.20.0.2/24");
        await bed.CreateEndpointAsync("fast", "ep2", "10.21.0.2/24");
        bed.ClusterGate.Hold = key => key.Contains("slow", StringComparison.Ordinal) && key.Contains("endpoints", StringComparison.Ordinal);

        var stuck = bed.Driver.JoinAsync("slow", "ep1", CancellationToken.None);
        await bed.ClusterGate.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await bed.Driver.JoinAsync("fast", "ep2", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(stuck.IsCompleted);
        Assert.True(await bed.RecordExistsAsync("fast", "ep2"));
        bed.ClusterGate.Release();
        await stuck;
        Assert.True(await bed.RecordExistsAsync("slow", "ep1"));
    }

    [Fact]
    public async Task ForgetHost_DeadHost_RemovesItsRecords_LiveOrSelf_Refused()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.PublishRemoteAsync(DriverBed.Remote("net1", 1, host: "dead"), withHost: false);
        await bed.Cluster.PutAsync(ClusterKeys.Membership("net1", "dead"), RecordStore.Encode(new NetworkMembership("net1", "dead", "x"), DriverJsonContext.Default.NetworkMembership), null, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidRequestException>(() => bed.Driver.ForgetHostAsync(DriverBed.HostId, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidRequestException>(() => bed.Driver.ForgetHostAsync(" ", CancellationToken.None));
        var forgotten = await bed.Driver.ForgetHostAsync("dead", CancellationToken.None);

        Assert.Equal(1, forgotten.EndpointRecords);
        Assert.Equal(1, forgotten.Memberships);
        Assert.Single(await bed.Driver.ListHostsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EndpointAddresses_ListsEveryEndpointOfEveryNetwork()
    {
        await using var bed = await DriverBed.StartAsync();
        await bed.CreateNetworkAsync("net1");
        await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        await bed.JoinNewAsync("net1", "ep2", "10.20.0.3/24");
        var addresses = await bed.Driver.EndpointAddressesAsync(CancellationToken.None);
        Assert.Equal(["10.20.0.2", "10.20.0.3"], addresses.Order(StringComparer.Ordinal));
        Assert.Equal(2, bed.Driver.LocalNetworks().Single().Endpoints);
        Assert.Equal(bed.NetnsDirectory, bed.Driver.NetnsDirectory);
        Assert.Equal("eth0", bed.Driver.Underlay.InterfaceName);
        Assert.Equal(DriverBed.HostId, bed.Driver.HostId);
    }
}
