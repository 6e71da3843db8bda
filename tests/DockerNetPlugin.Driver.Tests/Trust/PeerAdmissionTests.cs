using System.Net;
using System.Text;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class PeerAdmissionTests
{
    private readonly RecordingLogger _logger = new();
    private readonly InvalidRecordLog _log;
    private readonly HostDirectory _hosts;
    private readonly PeerAdmission _admission;
    private static readonly NetworkFacts s_net1 = new("net1", 5000, [IPNetwork.Parse("10.30.0.0/24")]);

    public PeerAdmissionTests()
    {
        _log = new InvalidRecordLog(_logger);
        _hosts = new HostDirectory(_log);
        _admission = new PeerAdmission(_log, _hosts, id => id == "net1" ? s_net1 : null);
    }

    private static KvEntry Entry(string key, string json) => new(key, Encoding.UTF8.GetBytes(json), 1, 1, null);

    private static KvEntry Endpoint(string ep, string host = "h1", string ip = "10.30.0.5/24", string locator = "192.168.7.1", string mac = "02:42:0a:1e:00:05") =>
        Entry(ClusterKeys.Endpoint("net1", ep), $$"""{"networkId":"net1","endpointId":"{{ep}}","hostId":"{{host}}","iPv4":"{{ip}}","mac":"{{mac}}","locator":"{{locator}}"}""");

    private static KvEntry Host(string id, string locator) => Entry(ClusterKeys.Host(id), $$"""{"hostId":"{{id}}","locator":"{{locator}}","started":"2026-01-01T00:00:00Z","version":"1"}""");

    [Fact]
    public void AdmitAll_BadRecordsBesideGoodOnes_GoodOnesPass_BadOnesCountedOnce()
    {
        _hosts.ReplaceAll([Host("h1", "192.168.7.1")]);
        var entries = new[]
        {
            Endpoint("good1"),
            Endpoint("good2", ip: "10.30.0.6/24", mac: "02:42:0a:1e:00:06"),
            Endpoint("zeromac", mac: "00:00:00:00:00:00"),
            Endpoint("outside", ip: "10.99.0.1/24"),
            Endpoint("spoofed", locator: "203.0.113.9"),
            Entry(ClusterKeys.Endpoint("net1", "empty"), "{}"),
            Entry(ClusterKeys.Endpoint("net1", "junk"), "not json"),
            Entry("dnp/v1/endpoints/_zz/x", "{}"),
        };

        for (var pass = 0; pass < 3; pass++)
        {
            var valid = _admission.AdmitAll(entries);
            Assert.Equal(["good1", "good2"], valid.Select(r => r.EndpointId));
        }

        Assert.Equal(6, _log.Count);
        Assert.Equal(6, _logger.Count(2901));
    }

    [Fact]
    public void Admit_HostRegistersLater_RecordIsHeldThenLetIn()
    {
        Assert.Null(_admission.Admit(Endpoint("ep1", host: "h2", locator: "192.168.7.2")));
        Assert.Equal(1, _log.Count);

        Assert.True(_hosts.Apply(Host("h2", "192.168.7.2")));
        var now = _admission.Recheck();

        Assert.Equal("ep1", Assert.Single(now).EndpointId);
        Assert.Equal(0, _log.Count);
        Assert.Empty(_admission.Recheck());
    }

    [Fact]
    public void LapsedHost_ItsRecordsComeBackBeforeItsHostRecord_AdmittedOnTheLocatorItHad_AnotherLocatorRefused()
    {
        var lapsed = new Dictionary<string, IPAddress> { ["h2"] = IPAddress.Parse("192.168.7.2") };
        var admission = new PeerAdmission(_log, _hosts, id => id == "net1" ? s_net1 : null, () => lapsed);

        Assert.Equal("ep1", admission.Admit(Endpoint("ep1", host: "h2", locator: "192.168.7.2"))?.EndpointId);
        Assert.Equal(["ep1"], admission.AdmitAll([Endpoint("ep1", host: "h2", locator: "192.168.7.2")]).Select(r => r.EndpointId));
        Assert.Null(admission.Admit(Endpoint("ep2", host: "h2", locator: "192.168.7.9", mac: "02:42:0a:1e:00:06")));
        Assert.Contains("192.168.7.2", Assert.Single(_log.Snapshot().Records).Reason, StringComparison.Ordinal);

        _hosts.Apply(Host("h2", "192.168.7.9")); // its host record, once back, says where it is now: that wins
        Assert.Equal("ep2", Assert.Single(admission.Recheck()).EndpointId);
        Assert.Null(admission.Admit(Endpoint("ep1", host: "h2", locator: "192.168.7.2")));
    }

    [Fact]
    public void Deleted_ForgetsTheKeyAndHold_MalformedKeyIsNull()
    {
        var entry = Endpoint("ep1", host: "h9");
        Assert.Null(_admission.Admit(entry));

        Assert.Equal(("net1", "ep1"), _admission.Deleted(entry.Key));
        Assert.Null(_admission.Deleted("dnp/v1/endpoints/_zz/x"));
        _hosts.Apply(Host("h9", "192.168.7.1"));

        Assert.Empty(_admission.Recheck());
        Assert.Equal(0, _log.Count);
    }

    internal static KvEntry EntryOf(string key, string json) => Entry(key, json);

    internal static KvEntry HostOf(string id, string locator) => Host(id, locator);
}
