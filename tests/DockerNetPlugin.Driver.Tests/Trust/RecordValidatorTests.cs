using System.Net;
using System.Text;
using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class RecordValidatorTests
{
    private const string Net = "net1";
    private const string Ep = "0123456789abcdef";
    private static readonly string s_endpointKey = ClusterKeys.Endpoint(Net, Ep);

    private static readonly string s_goodEndpoint =
        """{"networkId":"net1","endpointId":"0123456789abcdef","hostId":"h1","iPv4":"10.30.0.5/24","iPv6":"fd00::5/64","mac":"02:42:0a:1e:00:05","locator":"192.168.7.1"}""";

    private static readonly NetworkFacts s_facts = new(Net, 5000, [IPNetwork.Parse("10.30.0.0/24"), IPNetwork.Parse("fd00::/64")]);
    private static readonly Dictionary<string, IPAddress> s_hosts = new() { ["h1"] = IPAddress.Parse("192.168.7.1") };

    private static KvEntry Entry(string key, string json) => new(key, Encoding.UTF8.GetBytes(json), 1, 1, null);

    private static string Reason<T>(RecordCheck<T> check) where T : class
    {
        Assert.False(check.IsValid);
        Assert.Null(check.Value);
        return check.Invalid!.Reason;
    }

    [Fact]
    public void Endpoint_WellFormed_IsValidAndPassesContext()
    {
        var check = RecordValidator.Endpoint(Entry(s_endpointKey, s_goodEndpoint));

        Assert.True(check.IsValid, check.Invalid?.Reason);
        Assert.Equal("02:42:0a:1e:00:05", check.Value!.Mac);
        Assert.Null(RecordValidator.EndpointInContext(s_endpointKey, check.Value, s_facts, s_hosts));
    }

    [Theory]
    [InlineData("mac", "field 'mac' is missing")]
    [InlineData("locator", "field 'locator' is missing")]
    [InlineData("hostId", "field 'hostId' is missing")]
    [InlineData("networkId", "field 'networkId' is missing")]
    [InlineData("endpointId", "field 'endpointId' is missing")]
    public void Endpoint_RequiredFieldMissing_IsInvalidNamingTheField(string field, string expected)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(s_goodEndpoint)!.AsObject();
        json.Remove(field);

        Assert.Equal(expected, Reason(RecordValidator.Endpoint(Entry(s_endpointKey, json.ToJsonString()))));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("""{"networkId":5}""")]
    [InlineData("""{"networkId":"net1" """)]
    [InlineData("")]
    public void Endpoint_Garbage_IsInvalidNotAnException(string json)
    {
        var check = RecordValidator.Endpoint(Entry(s_endpointKey, json));

        Assert.Equal(s_endpointKey, check.Invalid!.Key);
        Assert.NotEmpty(Reason(check));
    }

    [Fact]
    public void Endpoint_InvalidUtf8AndHugeValues_AreInvalid()
    {
        Assert.False(RecordValidator.Endpoint(new KvEntry(s_endpointKey, new byte[] { 0x7b, 0xff, 0xfe, 0x7d }, 1, 1, null)).IsValid);
        var huge = s_goodEndpoint.Replace("\"h1\"", $"\"h1\",\"pad\":\"{new string('x', RecordValidator.MaxSmallRecordBytes)}\"", StringComparison.Ordinal);
        Assert.Contains("at most", Reason(RecordValidator.Endpoint(Entry(s_endpointKey, huge))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00:00:00:00", "all-zero")]
    [InlineData("ff:ff:ff:ff:ff:ff", "broadcast")]
    [InlineData("01:00:5e:00:00:01", "multicast")]
    [InlineData("33:33:00:00:00:01", "multicast")]
    [InlineData("02:42:0a:1e:00", "6-byte")]
    [InlineData("02:42:0a:1e:00:05:06:07", "6-byte")]
    [InlineData("zz:42:0a:1e:00:05", "6-byte")]
    [InlineData("", "6-byte")]
    public void Endpoint_BadMac_IsInvalid(string mac, string expected)
    {
        var json = s_goodEndpoint.Replace("02:42:0a:1e:00:05", mac, StringComparison.Ordinal);

        Assert.Contains(expected, Reason(RecordValidator.Endpoint(Entry(s_endpointKey, json))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"iPv4\":\"10.30.0.5/24\"", "\"iPv4\":\"fd00::5/64\"", "not an IPv4")]
    [InlineData("\"iPv4\":\"10.30.0.5/24\"", "\"iPv4\":\"10.30.0.5\"", "CIDR form")]
    [InlineData("\"iPv4\":\"10.30.0.5/24\"", "\"iPv4\":\"224.0.0.1/24\"", "multicast")]
    [InlineData("\"iPv4\":\"10.30.0.5/24\"", "\"iPv4\":\"0.0.0.0/0\"", "unspecified")]
    [InlineData("\"iPv6\":\"fd00::5/64\"", "\"iPv6\":\"ff02::1/64\"", "multicast")]
    [InlineData("\"locator\":\"192.168.7.1\"", "\"locator\":\"224.1.1.1\"", "multicast")]
    [InlineData("\"locator\":\"192.168.7.1\"", "\"locator\":\"0.0.0.0\"", "unspecified")]
    [InlineData("\"locator\":\"192.168.7.1\"", "\"locator\":\"192.168.7.0/24\"", "not an IP")]
    [InlineData("\"locator\":\"192.168.7.1\"", "\"locator\":\"host.example\"", "not an IP")]
    public void Endpoint_BadAddress_IsInvalid(string good, string bad, string expected)
    {
        var json = s_goodEndpoint.Replace(good, bad, StringComparison.Ordinal);

        Assert.Contains(expected, Reason(RecordValidator.Endpoint(Entry(s_endpointKey, json))), StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_IdsDifferFromKey_IsInvalid()
    {
        var otherKey = ClusterKeys.Endpoint("net2", Ep);
        Assert.Contains("differs from the key", Reason(RecordValidator.Endpoint(Entry(otherKey, s_goodEndpoint))), StringComparison.Ordinal);

        var otherEp = ClusterKeys.Endpoint(Net, "fedcba9876543210");
        Assert.Contains("endpointId", Reason(RecordValidator.Endpoint(Entry(otherEp, s_goodEndpoint))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dnp/v1/endpoints/net1")]
    [InlineData("dnp/v1/endpoints/net1/ep/extra")]
    [InlineData("dnp/v1/endpoints/_zz/x")]
    [InlineData("dnp/v1/endpoints/net1/_4")]
    [InlineData("dnp/v1/endpoints/NET1/x")]
    [InlineData("dnp/v1/networks/net1")]
    public void Endpoint_MalformedKey_IsInvalid(string key)
    {
        Assert.Contains("the key", Reason(RecordValidator.Endpoint(Entry(key, s_goodEndpoint))), StringComparison.Ordinal);
        Assert.Null(RecordValidator.EndpointKey(key));
    }

    [Fact]
    public void EndpointKey_EscapedIds_AreUnescaped()
    {
        Assert.Equal(("my.net", "ep_1"), RecordValidator.EndpointKey(ClusterKeys.Endpoint("my.net", "ep_1")));
    }

    [Fact]
    public void Endpoint_UnknownFieldsOfANewerVersion_AreIgnored()
    {
        var json = s_goodEndpoint.Replace("{", """{"futureField":{"a":[1,2]},"weight":7,""", StringComparison.Ordinal);

        Assert.True(RecordValidator.Endpoint(Entry(s_endpointKey, json)).IsValid);
    }

    [Fact]
    public void Endpoint_NoAddresses_IsValid()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(s_goodEndpoint)!.AsObject();
        json.Remove("iPv4");
        json.Remove("iPv6");

        Assert.True(RecordValidator.Endpoint(Entry(s_endpointKey, json.ToJsonString())).IsValid);
    }

    [Theory]
    [InlineData("\"iPv4\":\"10.30.0.5/24\"", "\"iPv4\":\"10.31.0.5/24\"", "outside the subnets")]
    [InlineData("\"iPv6\":\"fd00::5/64\"", "\"iPv6\":\"fd01::5/64\"", "outside the subnets")]
    [InlineData("\"locator\":\"192.168.7.1\"", "\"locator\":\"192.168.7.99\"", "not the locator host h1 registered")]
    [InlineData("\"hostId\":\"h1\"", "\"hostId\":\"h2\"", "host h2 has no hosts/ record")]
    public void EndpointInContext_Mismatch_IsInvalid(string good, string bad, string expected)
    {
        var record = RecordValidator.Endpoint(Entry(s_endpointKey, s_goodEndpoint.Replace(good, bad, StringComparison.Ordinal))).Value!;

        var invalid = RecordValidator.EndpointInContext(s_endpointKey, record, s_facts, s_hosts);

        Assert.Contains(expected, invalid!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EndpointInContext_UnknownNetwork_ChecksOnlyTheLocator()
    {
        var record = RecordValidator.Endpoint(Entry(s_endpointKey, s_goodEndpoint.Replace("10.30.0.5", "10.99.0.5", StringComparison.Ordinal))).Value!;

        Assert.Null(RecordValidator.EndpointInContext(s_endpointKey, record, null, s_hosts));
    }

    private const string GoodNetwork =
        """{"id":"net1","name":"web","vni":5000,"subnets":[{"pool":"10.30.0.0/24","gateway":"10.30.0.1/24"}],"internal":false,"enableIPv6":false,"mtu":1450,"options":{"a":"b"},"createdBy":"h1","created":"2026-01-01T00:00:00Z"}""";

    [Fact]
    public void Network_WellFormed_IsValid()
    {
        var check = RecordValidator.Network(Entry(ClusterKeys.Network(Net), GoodNetwork));

        Assert.True(check.IsValid, check.Invalid?.Reason);
        Assert.Equal(5000u, check.Value!.Vni);
    }

    [Theory]
    [InlineData("\"vni\":5000", "\"vni\":4095", "outside the VNI range")]
    [InlineData("\"vni\":5000", "\"vni\":16777216", "outside the VNI range")]
    [InlineData("\"vni\":5000", "\"vni\":-1", "not a valid")]
    [InlineData("\"vni\":5000", "\"vni\":1099511627776", "not a valid")]
    [InlineData("\"id\":\"net1\"", "\"id\":\"net2\"", "differs from the key")]
    [InlineData("\"id\":\"net1\",", "", "field 'id' is missing")]
    [InlineData("\"pool\":\"10.30.0.0/24\"", "\"pool\":\"10.30.0.7/24\"", "not a CIDR")]
    [InlineData("\"pool\":\"10.30.0.0/24\",", "", "'pool' is missing")]
    [InlineData("\"gateway\":\"10.30.0.1/24\"", "\"gateway\":\"10.31.0.1/24\"", "not an address inside subnet")]
    [InlineData("[{\"pool\":\"10.30.0.0/24\",\"gateway\":\"10.30.0.1/24\"}]", "[]", "1-64")]
    [InlineData("\"subnets\":[{\"pool\":\"10.30.0.0/24\",\"gateway\":\"10.30.0.1/24\"}],", "", "field 'subnets' is missing")]
    [InlineData("\"mtu\":1450", "\"mtu\":100", "mtu")]
    public void Network_Bad_IsInvalid(string good, string bad, string expected)
    {
        var json = GoodNetwork.Replace(good, bad, StringComparison.Ordinal);

        Assert.Contains(expected, Reason(RecordValidator.Network(Entry(ClusterKeys.Network(Net), json))), StringComparison.Ordinal);
    }

    [Fact]
    public void Network_DescriptiveFieldsMissing_GetDefaults()
    {
        var json = """{"id":"net1","vni":5000,"subnets":[{"pool":"10.30.0.0/24"}]}""";

        var record = RecordValidator.Network(Entry(ClusterKeys.Network(Net), json)).Value!;

        Assert.Empty(record.Options);
        Assert.Equal("", record.CreatedBy);
        Assert.Null(record.Docker);
    }

    [Fact]
    public void Network_DockerSpecWithoutPools_IsInvalid_AndMissingMapsDefault()
    {
        var json = GoodNetwork[..^1] + ""","docker":{"name":"web","driver":"dnp","ipamDriver":"dnp"}}""";
        Assert.Contains("docker.pools", Reason(RecordValidator.Network(Entry(ClusterKeys.Network(Net), json))), StringComparison.Ordinal);

        var ok = GoodNetwork[..^1] + ""","docker":{"name":"web","driver":"dnp","ipamDriver":"dnp","pools":[{"subnet":"10.30.0.0/24"}]}}""";
        var record = RecordValidator.Network(Entry(ClusterKeys.Network(Net), ok)).Value!;
        Assert.Empty(record.Docker!.Labels);
        Assert.Empty(record.Docker.Options);
    }

    [Fact]
    public void NetworkAgreesWithClaim_ChecksTheOwnerOfAClaimThatExists()
    {
        var key = ClusterKeys.Network(Net);
        var record = RecordValidator.Network(Entry(key, GoodNetwork)).Value!;

        Assert.Null(RecordValidator.NetworkAgreesWithClaim(key, record, new VniClaim(5000, "net1")));
        Assert.Contains("belongs to network other", RecordValidator.NetworkAgreesWithClaim(key, record, new VniClaim(5000, "other"))!.Reason, StringComparison.Ordinal);
        Assert.Null(RecordValidator.NetworkAgreesWithClaim(key, record, null)); // not yet claimed, or released: not held against it
    }

    [Fact]
    public void Vni_Claim_IsDecoded()
    {
        var check = RecordValidator.Vni(Entry(ClusterKeys.Vni(5000), "net1"));

        Assert.Equal(new VniClaim(5000, "net1"), check.Value);
    }

    [Theory]
    [InlineData("dnp/v1/vnis/junk", "net1", "the key")]
    [InlineData("dnp/v1/vnis/05000", "net1", "the key")]
    [InlineData("dnp/v1/vnis/4095", "net1", "VNI range")]
    [InlineData("dnp/v1/vnis/99999999", "net1", "VNI range")]
    [InlineData("dnp/v1/vnis/5000", "", "not an id")]
    [InlineData("dnp/v1/vnis/5000", "a b", "not an id")]
    public void Vni_Bad_IsInvalid(string key, string value, string expected)
    {
        Assert.Contains(expected, Reason(RecordValidator.Vni(Entry(key, value))), StringComparison.Ordinal);
    }

    [Fact]
    public void Host_WellFormed_IsValid_AndMissingVersionDefaults()
    {
        var check = RecordValidator.Host(Entry(ClusterKeys.Host("h1"), """{"hostId":"h1","locator":"192.168.7.1","started":"2026-01-01T00:00:00Z"}"""));

        Assert.Equal("unknown", check.Value!.Version);
    }

    [Theory]
    [InlineData("""{"hostId":"h2","locator":"192.168.7.1"}""", "differs from the key")]
    [InlineData("""{"hostId":"h1"}""", "'locator' is missing")]
    [InlineData("""{"hostId":"h1","locator":"ff02::1"}""", "multicast")]
    public void Host_Bad_IsInvalid(string json, string expected)
    {
        Assert.Contains(expected, Reason(RecordValidator.Host(Entry(ClusterKeys.Host("h1"), json))), StringComparison.Ordinal);
    }

    [Fact]
    public void Membership_ChecksBothIds()
    {
        var key = ClusterKeys.Membership(Net, "h1");

        Assert.True(RecordValidator.Membership(Entry(key, """{"networkId":"net1","hostId":"h1","dockerNetworkId":"abc123"}""")).IsValid);
        Assert.Contains("hostId", Reason(RecordValidator.Membership(Entry(key, """{"networkId":"net1","hostId":"h9","dockerNetworkId":"abc123"}"""))), StringComparison.Ordinal);
        Assert.Contains("dockerNetworkId", Reason(RecordValidator.Membership(Entry(key, """{"networkId":"net1","hostId":"h1"}"""))), StringComparison.Ordinal);
    }

    [Fact]
    public void AllValidators_RandomBytes_NeverThrow()
    {
        var random = new Random(15);
        var keys = new[] { s_endpointKey, ClusterKeys.Network(Net), ClusterKeys.Host("h1"), ClusterKeys.Membership(Net, "h1"), ClusterKeys.Vni(5000) };
        var seeds = new[] { s_goodEndpoint, GoodNetwork, """{"hostId":"h1","locator":"192.168.7.1"}""" };
        for (var i = 0; i < 1500; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(seeds[i % seeds.Length]);
            var cut = bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray();
            for (var m = random.Next(4); m > 0 && cut.Length > 0; m--)
                cut[random.Next(cut.Length)] = (byte)random.Next(256);
            foreach (var key in keys)
            {
                var entry = new KvEntry(key, cut, 1, 1, null);
                _ = RecordValidator.Endpoint(entry);
                _ = RecordValidator.Network(entry);
                _ = RecordValidator.Host(entry);
                _ = RecordValidator.Membership(entry);
                _ = RecordValidator.Vni(entry);
            }
        }
    }
}
