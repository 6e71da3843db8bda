using System.Text.Json;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Tests.Fakes;

namespace DockerNetPlugin.Driver.Tests.Naming;

/// <summary>What the driver does for names: the resolver's route and lifetime, the names verb, the record's compatibility.</summary>
public sealed class DriverNamesTests
{
    private static readonly EndpointNames s_web = new("c1", "web", ["api", "c1short"]);

    [Fact]
    public async Task Join_RoutesTheResolverThroughTheFirstDnpInterfaceOfAContainerOnly()
    {
        var resolvers = new FakeResolvers();
        await using var bed = await DriverBed.StartAsync(resolvers: resolvers);
        await bed.CreateNetworkAsync("north", "10.20.0.0/24", "10.20.0.1/24");
        await bed.CreateNetworkAsync("south", "10.21.0.0/24", "10.21.0.1/24");
        await bed.CreateEndpointAsync("north", "ep1", "10.20.0.2/24");
        await bed.CreateEndpointAsync("south", "ep2", "10.21.0.2/24");
        await bed.CreateEndpointAsync("south", "ep3", "10.21.0.3/24");

        var first = await bed.Driver.JoinAsync("north", "ep1", "/var/run/docker/netns/c1", CancellationToken.None);
        var second = await bed.Driver.JoinAsync("south", "ep2", "/var/run/docker/netns/c1", CancellationToken.None);
        var other = await bed.Driver.JoinAsync("south", "ep3", "/var/run/docker/netns/c2", CancellationToken.None);

        Assert.Equal(resolvers.Address, first.ResolverRoute);
        Assert.Null(second.ResolverRoute); // the kernel would refuse a second route to the same /32
        Assert.Equal(resolvers.Address, other.ResolverRoute);

        // Once the interface holding the route leaves, a new dnp interface of that container gets it again.
        await bed.Driver.LeaveAsync("north", "ep1", CancellationToken.None);
        await bed.CreateEndpointAsync("north", "ep4", "10.20.0.4/24");
        Assert.Equal(resolvers.Address, (await bed.Driver.JoinAsync("north", "ep4", "/var/run/docker/netns/c1", CancellationToken.None)).ResolverRoute);
    }

    [Fact]
    public async Task Resolver_LivesWithTheNamespace_AndTheHostHasOneForOtherContainers()
    {
        var resolvers = new FakeResolvers();
        await using var bed = await DriverBed.StartAsync(resolvers: resolvers);
        Assert.Equal(resolvers.Address, bed.Kernel.HostResolverAddress);
        Assert.Contains(resolvers.Serving, s => s.LogicalNetworkId is null);

        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        Assert.Equal(resolvers.Address, bed.Sandbox("net1").ResolverAddress);
        Assert.Contains(resolvers.Serving, s => s.LogicalNetworkId == "net1" && !s.Internal);

        await bed.Driver.DeleteEndpointAsync("net1", "ep1", CancellationToken.None);
        Assert.DoesNotContain(resolvers.Serving, s => s.LogicalNetworkId == "net1");
    }

    [Fact]
    public async Task SetEndpointNames_PublishesThemWithTheRecord_LeaveTakesThemAway()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");

        Assert.True(await bed.Driver.SetEndpointNamesAsync("net1", "ep1", s_web, republish: false, CancellationToken.None));
        Assert.False(await bed.Driver.SetEndpointNamesAsync("net1", "ep1", s_web with { Aliases = ["api", "c1short"] }, republish: false, CancellationToken.None)); // equal by value
        var record = await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None);
        Assert.Equal(s_web, record!.Names);
        Assert.Equal(s_web, Assert.Single(bed.Driver.JoinedEndpoints()).Names);

        await bed.Driver.LeaveAsync("net1", "ep1", CancellationToken.None);
        Assert.Null(await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None));
        Assert.False(await bed.Driver.SetEndpointNamesAsync("net1", "ep1", s_web, republish: true, CancellationToken.None)); // not joined: nothing to publish
    }

    [Fact]
    public async Task Names_SurviveARestart_AndAreRepublishedUnderTheNewLease()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        await bed.CreateNetworkAsync("net1");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        await bed.Driver.SetEndpointNamesAsync("net1", "ep1", s_web, republish: false, CancellationToken.None);
        await bed.RestartAsync();
        Assert.Equal(s_web, (await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None))!.Names);
    }

    [Fact]
    public void EndpointRecord_StaysReadableAcrossReleases()
    {
        // A record of the previous release (no names) reads as "not named yet".
        const string Old = """{"networkId":"n","endpointId":"e","hostId":"h","iPv4":"10.0.0.2/24","mac":"02:42:0a:00:00:02","locator":"192.0.2.1"}""";
        var old = JsonSerializer.Deserialize(Old, DriverJsonContext.Default.EndpointRecord)!;
        Assert.Null(old.Names);
        Assert.Equal("10.0.0.2/24", old.IPv4);

        // A record with names keeps every field the previous release reads, with the same names and values.
        var named = old with { Names = s_web };
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(named, DriverJsonContext.Default.EndpointRecord));
        using var previous = JsonDocument.Parse(Old);
        foreach (var field in previous.RootElement.EnumerateObject())
            Assert.Equal(field.Value.GetString(), json.RootElement.GetProperty(field.Name).GetString());
        Assert.Equal("web", json.RootElement.GetProperty("names").GetProperty("containerName").GetString());
    }
}
