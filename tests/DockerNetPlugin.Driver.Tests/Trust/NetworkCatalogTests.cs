using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class NetworkCatalogTests
{
    private readonly InvalidRecordLog _log = new(new RecordingLogger());

    [Fact]
    public void Read_KeepsOnlyNetworksOwningTheirVni_AndReportsTheRest()
    {
        static string Net(string id, uint vni) =>
            $$"""{"id":"{{id}}","vni":{{vni}},"subnets":[{"pool":"10.{{vni % 200}}.0.0/24"}],"options":{},"createdBy":"h1","created":"2026-01-01T00:00:00Z"}""";
        var networks = new[]
        {
            PeerAdmissionTests.EntryOf(ClusterKeys.Network("a"), Net("a", 5000)),
            PeerAdmissionTests.EntryOf(ClusterKeys.Network("thief"), Net("thief", 5000)),
            PeerAdmissionTests.EntryOf(ClusterKeys.Network("unclaimed"), Net("unclaimed", 6000)),
            PeerAdmissionTests.EntryOf(ClusterKeys.Network("broken"), "{}"),
        };
        var vnis = new[]
        {
            PeerAdmissionTests.EntryOf(ClusterKeys.Vni(5000), "a"),
            PeerAdmissionTests.EntryOf("dnp/v1/vnis/junk", "x"),
            PeerAdmissionTests.EntryOf(ClusterKeys.Vni(7000), "not an id!"),
        };

        var catalog = NetworkCatalog.Read(networks, vnis, _log);

        Assert.Equal(["a", "unclaimed"], catalog.Networks.Keys.Order(StringComparer.Ordinal)); // a missing claim is not held against a record
        Assert.Equal([5000u], catalog.Claims.Keys);
        Assert.Equal([5000u, 7000u], catalog.TakenVnis.Order());
        Assert.Equal(4, _log.Count);
        Assert.Contains(_log.Snapshot().Records, r => r.Key == ClusterKeys.Network("thief") && r.Reason.Contains("belongs to network a", StringComparison.Ordinal));
    }
}
