using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Driver.Reconcile;
using DockerNetPlugin.Driver.Tests.Fakes;
using DockerNetPlugin.Replication.Names;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Naming;

/// <summary>
/// The learner on the in-memory driver and a fake Engine API: names are learned after Join (never inside it), follow
/// renames and connects from Docker's events, reach the record in the store and the host's name table, and the
/// doctor's check finds and repairs records whose names are missing or stale.
/// </summary>
public sealed class NameLearnerTests
{
    [Fact]
    public async Task AfterJoin_NamesAreLearnedFromDocker_PublishedAndAnswered()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        var docker = new FakeDockerEngine();
        var table = new NameTable();
        using var sync = new NameSync(table, NullLogger.Instance);
        sync.Start(bed.Driver);
        await using var learner = new NameLearner(bed.Driver, docker, table, NullLogger.Instance, TimeSpan.FromHours(1));
        learner.Start();

        await bed.CreateNetworkAsync("net1");
        docker.AddNetwork("net1", "shop");
        await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        docker.Attach("c1", "web", "net1", "ep1", "api");
        await bed.Driver.JoinAsync("net1", "ep1", CancellationToken.None);

        await Eventually.TrueAsync(() => bed.Driver.JoinedEndpoints().Single().Names is not null, "names learned after Join");
        // The named record reaches the store through the background writer, after the endpoint holds the names.
        await Eventually.TrueAsync(async () => Equals(new EndpointNames("c1", "web", ["api"]), (await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None))?.Names),
            "the names published with the record");
        await Eventually.TrueAsync(() => table.GetRecords().Any(r => r.ContainerName == "web"), "the name table answers web");
        Assert.Equal("shop", table.GetNetworkName("net1"));
    }

    [Fact]
    public async Task RenameAndConnectEvents_UpdateThePublishedNames()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        var docker = new FakeDockerEngine();
        var table = new NameTable();
        await using var learner = new NameLearner(bed.Driver, docker, table, NullLogger.Instance, TimeSpan.FromHours(1));
        learner.Start();
        await bed.CreateNetworkAsync("net1");
        await bed.CreateNetworkAsync("net2", "10.21.0.0/24", "10.21.0.1/24");
        docker.AddNetwork("net1", "front");
        docker.AddNetwork("net2", "back");
        await bed.CreateEndpointAsync("net1", "ep1", "10.20.0.2/24");
        docker.Attach("c1", "web", "net1", "ep1");
        await bed.Driver.JoinAsync("net1", "ep1", CancellationToken.None);
        await Eventually.TrueAsync(() => Names(bed, "ep1")?.ContainerName == "web", "learned");

        docker.Rename("c1", "www");
        await Eventually.TrueAsync(() => Names(bed, "ep1")?.ContainerName == "www", "the rename is followed");

        // docker network connect --alias cache back c1: Join, then Docker's connect event.
        await bed.CreateEndpointAsync("net2", "ep2", "10.21.0.2/24");
        docker.Attach("c1", "www", "net2", "ep2", "cache");
        await bed.Driver.JoinAsync("net2", "ep2", CancellationToken.None);
        docker.SendConnect("net2", "c1");
        await Eventually.TrueAsync(() => Names(bed, "ep2") == new EndpointNames("c1", "www", ["cache"]), "the connected network's alias is learned");
        Assert.Equal(new EndpointNames("c1", "www", []), Names(bed, "ep1"));
    }

    [Fact]
    public async Task Docker29EndpointName_IsPublishedWithJoin_ThenReplacedByTheLearnedNames()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        var docker = new FakeDockerEngine();
        var table = new NameTable();
        using var sync = new NameSync(table, NullLogger.Instance);
        sync.Start(bed.Driver);
        await bed.CreateNetworkAsync("net1");
        docker.AddNetwork("net1", "shop");
        await bed.Driver.CreateEndpointAsync(new EndpointCreation("net1", "ep1", InterfaceAddress.Parse("10.20.0.2/24", "address"), null, null, ContainerName: "web"), CancellationToken.None);
        await bed.Driver.JoinAsync("net1", "ep1", CancellationToken.None);

        // Published by Join itself, before anyone asked Docker: the name answers at once (the endpoint stands for its container).
        // (Join waits for its record only the store timeout: on a loaded machine the write may still be on its way.)
        EndpointNames? provisional = null;
        await Eventually.TrueAsync(async () => (provisional = (await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None))?.Names) is not null,
            "the record with the provisional name in the store");
        Assert.True(provisional!.IsProvisional);
        Assert.Equal("web", provisional.ContainerName);
        await Eventually.TrueAsync(() => table.GetRecords().Any(r => r.ContainerName == "web" && r.ContainerId == "endpoint/ep1"), "the provisional name answers");

        docker.Attach("c1", "web", "net1", "ep1", "api");
        await using var learner = new NameLearner(bed.Driver, docker, table, NullLogger.Instance, TimeSpan.FromHours(1));
        await learner.LearnMissingAsync(CancellationToken.None);
        Assert.Equal(new EndpointNames("c1", "web", ["api"]), Names(bed, "ep1"));
        await Eventually.TrueAsync(() => table.GetRecords().Any(r => r.ContainerId == "c1" && r.Aliases.Contains("api")), "the learned names replace it");
    }

    [Fact]
    public async Task PeriodicPass_LearnsWhatJoinAndEventsMissed()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        var docker = new FakeDockerEngine();
        await bed.CreateNetworkAsync("net1");
        docker.AddNetwork("net1", "shop");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24"); // no learner yet: nobody heard the Join
        docker.Attach("c1", "web", "net1", "ep1");
        await using var learner = new NameLearner(bed.Driver, docker, new NameTable(), NullLogger.Instance, TimeSpan.FromHours(1));
        await learner.LearnMissingAsync(CancellationToken.None);
        Assert.Equal("web", Names(bed, "ep1")?.ContainerName);
        var inspects = docker.ContainerInspects;
        await learner.LearnMissingAsync(CancellationToken.None);
        Assert.Equal(inspects, docker.ContainerInspects); // nothing left to learn: Docker is not asked again
    }

    [Fact]
    public async Task DriftCheck_FindsMissingAndStaleNames_RepairRepublishes()
    {
        await using var bed = await DriverBed.StartAsync(resolvers: new FakeResolvers());
        var docker = new FakeDockerEngine();
        await bed.CreateNetworkAsync("net1");
        docker.AddNetwork("net1", "shop");
        await bed.JoinNewAsync("net1", "ep1", "10.20.0.2/24");
        docker.Attach("c1", "web", "net1", "ep1");
        await using var learner = new NameLearner(bed.Driver, docker, new NameTable(), NullLogger.Instance, TimeSpan.FromHours(1));
        var check = new NameDriftCheck(bed.Driver, learner);

        var drift = new DriftLog();
        await check.CheckAsync(drift, repair: false, CancellationToken.None);
        Assert.Equal(NameDriftCheck.NameMissing, Assert.Single(drift.Found).Kind);

        drift = new DriftLog();
        await check.CheckAsync(drift, repair: true, CancellationToken.None);
        Assert.Single(drift.Repairing);
        Assert.Equal("web", (await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None))!.Names!.ContainerName);

        docker.Rename("c1", "www"); // and nobody hears it
        drift = new DriftLog();
        await check.CheckAsync(drift, repair: true, CancellationToken.None);
        Assert.Equal(NameDriftCheck.NameStale, Assert.Single(drift.Found).Kind);
        Assert.Equal("www", (await bed.Driver.ReadEndpointRecordAsync("net1", "ep1", CancellationToken.None))!.Names!.ContainerName);

        drift = new DriftLog();
        await check.CheckAsync(drift, repair: false, CancellationToken.None);
        Assert.Empty(drift.Found);
    }

    private static EndpointNames? Names(DriverBed bed, string endpoint) =>
        bed.Driver.JoinedEndpoints().FirstOrDefault(e => e.EndpointId == endpoint)?.Names;
}
