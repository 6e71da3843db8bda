using System.Net;
using DockerNetPlugin.Dns;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Model;
using DockerNetPlugin.Replication.Names;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerNetPlugin.Driver.Tests.Naming;

/// <summary>Endpoint records of any host → what the resolvers answer: valid ones answer, unnamed ones do not, bad ones are skipped.</summary>
public sealed class NameProjectionTests
{
    private static EndpointRecord Record(string endpoint, string host, EndpointNames? names, string? ipv4 = "10.20.0.2/24", string? ipv6 = "fd00::2/64") =>
        new("net1", endpoint, host, ipv4, ipv6, "02:42:0a:14:00:02", "192.0.2.2", names);

    [Fact]
    public void NamedRecord_AnswersItsNamesOnItsAddresses()
    {
        var name = NameProjection.ToNameRecord(Record("ep1", "host-b", new EndpointNames("c1", "web", ["api"])), out var error);
        Assert.Null(error);
        Assert.NotNull(name);
        Assert.Equal(("net1", "ep1", "c1", "web", "host-b"), (name.NetworkId, name.EndpointId, name.ContainerId, name.ContainerName, name.HostId));
        Assert.Equal(["api"], name.Aliases);
        Assert.Equal(IPAddress.Parse("10.20.0.2"), name.Ipv4);
        Assert.Equal(IPAddress.Parse("fd00::2"), name.Ipv6);
    }

    [Fact]
    public void UnnamedRecord_IsNoNameAndNoError()
    {
        Assert.Null(NameProjection.ToNameRecord(Record("ep1", "host-b", null), out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("bad name", "10.20.0.2/24", "not a DNS name")]
    [InlineData("web", "10.20.0.999/24", "cannot be parsed")]
    [InlineData("", "10.20.0.2/24", "not a DNS name")]
    public void BadRecord_FromAnotherHost_IsSkippedWithTheReason(string container, string ipv4, string reason)
    {
        Assert.Null(NameProjection.ToNameRecord(Record("ep1", "host-b", new EndpointNames("c1", container, []), ipv4), out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sync_FollowsUpsertsRemovalsAndResyncs_AndSkipsBadRecords()
    {
        var table = new NameTable();
        using var sync = new NameSync(table, NullLogger.Instance);
        var web = Record("ep1", "host-b", new EndpointNames("c1", "web", []));
        var db = Record("ep2", "host-c", new EndpointNames("c2", "db", []), "10.20.0.3/24", null);
        var bad = Record("ep3", "host-c", new EndpointNames("c3", "no good", []), "10.20.0.4/24", null);

        sync.Apply(new Driver.EndpointRecordsChange([web, db, bad], [], IsResync: true));
        Assert.Equal(["db", "web"], table.GetRecords().Select(r => r.ContainerName).Order(StringComparer.Ordinal));

        // A record that loses its names (rewritten by an older release) stops answering; a removal too.
        sync.Apply(new Driver.EndpointRecordsChange([web with { Names = null }], [web], IsResync: false));
        Assert.Equal(["db"], table.GetRecords().Select(r => r.ContainerName));
        sync.Apply(new Driver.EndpointRecordsChange([], [db], IsResync: false));
        Assert.Empty(table.GetRecords());

        // A resync after a dead host's records expired: what is not in it any more goes.
        sync.Apply(new Driver.EndpointRecordsChange([web, db], [], IsResync: true));
        sync.Apply(new Driver.EndpointRecordsChange([web], [], IsResync: true));
        Assert.Equal(["web"], table.GetRecords().Select(r => r.ContainerName));
    }
}
