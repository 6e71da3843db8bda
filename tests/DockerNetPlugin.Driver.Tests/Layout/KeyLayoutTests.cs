using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;

namespace DockerNetPlugin.Driver.Tests.Layout;

/// <summary>The two key layouts: parsing, the host segment check, the readers' merge and the writers' targets.</summary>
public sealed class KeyLayoutTests
{
    private const string Endpoint = """{"networkId":"my.net","endpointId":"ep_1","hostId":"h1","iPv4":"10.20.0.2/24","mac":"02:42:0a:14:00:02","locator":"192.0.2.1"}""";
    private const string Host = """{"hostId":"h1","locator":"192.0.2.1","started":"2026-01-01T00:00:00Z","version":"1"}""";
    private const string Membership = """{"networkId":"my.net","hostId":"h1","dockerNetworkId":"d1"}""";

    private static KvEntry Entry(string key, string json, ulong version = 1) => new(key, System.Text.Encoding.UTF8.GetBytes(json), version, version, null);

    [Fact]
    public void Keys_BothLayouts_ParseToTheSameLogicalKey()
    {
        var endpoint = ClusterKeys.Endpoint("my.net", "ep_1");
        var host = ClusterKeys.Host("h.1");
        var membership = ClusterKeys.Membership("my.net", "h.1");

        Assert.Equal("dnp/v1/by-host/h1/endpoints/my_2enet/ep_5f1", ClusterKeys.ByHost(endpoint, "h1"));
        Assert.Equal("dnp/v1/by-host/h_2e1/host", ClusterKeys.ByHost(host, "h.1"));
        Assert.Equal("dnp/v1/by-host/h_2e1/network-hosts/my_2enet", ClusterKeys.ByHost(membership, "h.1"));
        Assert.Equal("dnp/v1/by-host/h_2e1/", ClusterKeys.ByHostPrefixOf("h.1"));

        Assert.Equal(new OwnedKey(OwnedKind.Endpoint, null, null, "my.net", "ep_1"), OwnedKey.TryParse(endpoint));
        Assert.Equal(new OwnedKey(OwnedKind.Endpoint, "h1", null, "my.net", "ep_1"), OwnedKey.TryParse(ClusterKeys.ByHost(endpoint, "h1")!));
        Assert.Equal(new OwnedKey(OwnedKind.Host, "h.1", "h.1", null, null), OwnedKey.TryParse(ClusterKeys.ByHost(host, "h.1")!));
        Assert.Equal(new OwnedKey(OwnedKind.Membership, "h.1", "h.1", "my.net", null), OwnedKey.TryParse(ClusterKeys.ByHost(membership, "h.1")!));
        foreach (var logical in new[] { endpoint, host, membership })
        {
            Assert.Equal(logical, OwnedKey.TryParse(logical)!.Logical);
            Assert.Equal(logical, OwnedKey.TryParse(ClusterKeys.ByHost(logical, "h.1")!)!.Logical);
        }
    }

    [Theory]
    [InlineData("dnp/v1/by-host/h1")]
    [InlineData("dnp/v1/by-host/h1/")]
    [InlineData("dnp/v1/by-host/h1/hostx")]
    [InlineData("dnp/v1/by-host/H1/host")]
    [InlineData("dnp/v1/by-host/_zz/host")]
    [InlineData("dnp/v1/by-host/h1/endpoints/net1")]
    [InlineData("dnp/v1/by-host/h1/endpoints/net1/ep/extra")]
    [InlineData("dnp/v1/by-host/h1/network-hosts/net1/h1")]
    [InlineData("dnp/v1/by-host/h1/other/x")]
    [InlineData("dnp/v1/networks/net1")]
    [InlineData("dnp/v1/endpoints/net1")]
    public void Keys_Malformed_AreNoOwnedKey(string key) => Assert.Null(OwnedKey.TryParse(key));

    [Fact]
    public void Validator_ByHostKeys_Accepted_WhenTheHostSegmentIsTheRecordsHost()
    {
        Assert.NotNull(RecordValidator.Endpoint(Entry(ClusterKeys.ByHost(ClusterKeys.Endpoint("my.net", "ep_1"), "h1")!, Endpoint)).Value);
        Assert.NotNull(RecordValidator.Host(Entry(ClusterKeys.ByHost(ClusterKeys.Host("h1"), "h1")!, Host)).Value);
        Assert.NotNull(RecordValidator.Membership(Entry(ClusterKeys.ByHost(ClusterKeys.Membership("my.net", "h1"), "h1")!, Membership)).Value);
        Assert.Equal(("my.net", "ep_1"), RecordValidator.EndpointKey(ClusterKeys.ByHost(ClusterKeys.Endpoint("my.net", "ep_1"), "h1")!));
    }

    /// <summary>What makes a per-host ACL meaningful: h2 writing under its own segment cannot speak for h1.</summary>
    [Fact]
    public void Validator_HostSegmentOtherThanTheRecordsHost_Invalid()
    {
        var endpoint = RecordValidator.Endpoint(Entry(ClusterKeys.ByHost(ClusterKeys.Endpoint("my.net", "ep_1"), "h2")!, Endpoint));
        Assert.Null(endpoint.Value);
        Assert.Contains("differs from the key's host segment 'h2'", endpoint.Invalid!.Reason, StringComparison.Ordinal);

        var host = RecordValidator.Host(Entry(ClusterKeys.ByHost(ClusterKeys.Host("h2"), "h2")!, Host));
        Assert.Null(host.Value);
        Assert.Contains("host segment 'h2'", host.Invalid!.Reason, StringComparison.Ordinal);

        var membership = RecordValidator.Membership(Entry(ClusterKeys.ByHost(ClusterKeys.Membership("my.net", "h2"), "h2")!, Membership));
        Assert.Null(membership.Value);
        Assert.Contains("host segment 'h2'", membership.Invalid!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_List_OneEntryPerRecord_ByHostCopyPreferred_MalformedLegacyKeysPassedOn()
    {
        var logical = ClusterKeys.Endpoint("my.net", "ep_1");
        var byHost = ClusterKeys.ByHost(logical, "h1")!;
        var merge = new LayoutMerge(OwnedKind.Endpoint);

        Assert.Empty(merge.Apply(0, new KvResync(new KvSnapshot([Entry(logical, Endpoint), Entry("dnp/v1/endpoints/_zz/x", "{}")], 5))));
        var resync = Assert.IsType<KvResync>(Assert.Single(merge.Apply(1, new KvResync(new KvSnapshot(
            [Entry(byHost, Endpoint), Entry(ClusterKeys.ByHost(ClusterKeys.Host("h1"), "h1")!, Host)], 6)))));

        Assert.Equal([byHost, "dnp/v1/endpoints/_zz/x"], resync.Snapshot.Entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(6ul, resync.Snapshot.Revision);
    }

    /// <summary>A host moving its records between layouts, or writing both, is invisible to readers; the last copy's delete is seen.</summary>
    [Fact]
    public void Merge_Watch_CopiesComeAndGo_TheReaderSeesOneRecord()
    {
        var logical = ClusterKeys.Endpoint("my.net", "ep_1");
        var byHost = ClusterKeys.ByHost(logical, "h1")!;
        var merge = new LayoutMerge(OwnedKind.Endpoint);
        Assert.Empty(merge.Apply(0, new KvPut(Entry(logical, Endpoint), 2))); // before both layouts were read: nothing yet
        Assert.Empty(merge.Apply(0, new KvResync(new KvSnapshot([], 3))));
        Assert.Single(merge.Apply(1, new KvResync(new KvSnapshot([], 3))));

        Assert.IsType<KvPut>(Assert.Single(merge.Apply(0, new KvPut(Entry(logical, Endpoint, 4), 4)))); // a previous release's record
        Assert.Empty(merge.Apply(1, new KvPut(Entry(byHost, Endpoint, 5), 5))); // its by-host copy, same bytes
        Assert.Empty(merge.Apply(0, new KvDeleted(logical, 6))); // the legacy copy retired
        var changed = Assert.IsType<KvPut>(Assert.Single(merge.Apply(1, new KvPut(Entry(byHost, Endpoint.Replace("10.20.0.2", "10.20.0.3", StringComparison.Ordinal), 7), 7))));
        Assert.Equal(byHost, changed.Entry.Key);
        Assert.Empty(merge.Apply(1, new KvPut(Entry(ClusterKeys.ByHost(ClusterKeys.Host("h1"), "h1")!, Host, 8), 8))); // another kind: not this reader's
        Assert.Equal(byHost, Assert.IsType<KvDeleted>(Assert.Single(merge.Apply(1, new KvDeleted(byHost, 9)))).Key);
    }

    [Fact]
    public void Merge_Watch_ACopyThatSaysSomethingElse_IsUsedWhenTheOtherGoes()
    {
        var logical = ClusterKeys.Endpoint("my.net", "ep_1");
        var byHost = ClusterKeys.ByHost(logical, "h1")!;
        var merge = new LayoutMerge(OwnedKind.Endpoint);
        merge.Apply(0, new KvResync(new KvSnapshot([Entry(logical, Endpoint.Replace("10.20.0.2", "10.20.0.9", StringComparison.Ordinal))], 1)));
        var first = Assert.IsType<KvResync>(Assert.Single(merge.Apply(1, new KvResync(new KvSnapshot([Entry(byHost, Endpoint)], 1)))));
        Assert.Equal(byHost, Assert.Single(first.Snapshot.Entries).Key);

        var fallback = Assert.IsType<KvPut>(Assert.Single(merge.Apply(1, new KvDeleted(byHost, 2))));
        Assert.Equal(logical, fallback.Entry.Key);
    }

    /// <summary>Per-host ACLs keep h2 out of h1's segment; the merge keeps h2 from shadowing h1's record with a later copy under its own.</summary>
    [Fact]
    public void Merge_ALaterCopyUnderAnotherHostsSegment_DoesNotDisplaceTheFirst()
    {
        var logical = ClusterKeys.Endpoint("my.net", "ep_1");
        var victim = ClusterKeys.ByHost(logical, "z-victim")!;
        var shadow = ClusterKeys.ByHost(logical, "a-shadow")!; // sorts first
        var merge = new LayoutMerge(OwnedKind.Endpoint);
        merge.Apply(0, new KvResync(new KvSnapshot([], 1)));
        var first = Assert.IsType<KvResync>(Assert.Single(merge.Apply(1, new KvResync(new KvSnapshot([Entry(victim, Endpoint, 5)], 5)))));
        Assert.Equal(victim, Assert.Single(first.Snapshot.Entries).Key);

        Assert.Empty(merge.Apply(1, new KvPut(Entry(shadow, Endpoint.Replace("192.0.2.1", "192.0.2.66", StringComparison.Ordinal), 9), 9)));
        Assert.Equal(victim, LayoutMergeList([Entry(shadow, Endpoint, 9), Entry(victim, Endpoint, 5)]));
    }

    private static string LayoutMergeList(KvEntry[] byHost)
    {
        var merge = new LayoutMerge(OwnedKind.Endpoint);
        merge.Apply(0, new KvResync(new KvSnapshot([], 1)));
        return Assert.Single(Assert.IsType<KvResync>(Assert.Single(merge.Apply(1, new KvResync(new KvSnapshot(byHost, 10))))).Snapshot.Entries).Key;
    }

    [Fact]
    public void WriteLayout_Auto_WritesBoth_UntilEveryLiveHostReadsByHost_ThenByHostOnly()
    {
        var layout = new WriteLayout(KeyLayoutMode.Auto, "h1");
        var endpoint = ClusterKeys.Endpoint("n", "e");
        var byHost = ClusterKeys.ByHost(endpoint, "h1")!;
        Assert.Equal([byHost, endpoint], layout.Targets(endpoint));
        Assert.Equal([ClusterKeys.Network("n")], layout.Targets(ClusterKeys.Network("n"))); // shared keys stay where they are

        Assert.False(layout.Update(new Dictionary<string, bool> { ["h1"] = true, ["h2"] = false }));
        Assert.True(layout.Update(new Dictionary<string, bool> { ["h1"] = true, ["h2"] = true }));
        Assert.Equal([byHost], layout.Targets(endpoint));
        Assert.Equal([endpoint], layout.Retired(endpoint));
        Assert.Equal([byHost, endpoint], layout.Copies(endpoint));

        Assert.True(layout.Update(new Dictionary<string, bool> { ["h1"] = true, ["h3"] = false })); // a previous release joined again
        Assert.Equal([byHost, endpoint], layout.Targets(endpoint));
        Assert.Empty(layout.Retired(endpoint));
    }

    [Fact]
    public void WriteLayout_HostAndLegacy_AreFixed()
    {
        var endpoint = ClusterKeys.Endpoint("n", "e");
        var byHost = ClusterKeys.ByHost(endpoint, "h1")!;
        var host = new WriteLayout(KeyLayoutMode.Host, "h1");
        Assert.False(host.Update(new Dictionary<string, bool> { ["h2"] = false }));
        Assert.Equal([byHost], host.Targets(endpoint));
        Assert.Equal([byHost], host.Copies(endpoint)); // a per-host credential never touches legacy keys

        var legacy = new WriteLayout(KeyLayoutMode.Legacy, "h1");
        Assert.False(legacy.Update(new Dictionary<string, bool> { ["h2"] = true }));
        Assert.Equal([endpoint], legacy.Targets(endpoint));
    }
}
