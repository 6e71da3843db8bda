using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;

namespace DockerNetPlugin.Integration.Tests.Cli;

/// <summary>
/// The operator CLI on a live two-host overlay: each verb's table and <c>--json</c> (parsed as a script would),
/// and the non-zero exits an operator's script relies on.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CliCommandsTests(CliBedFixture bed) : IClassFixture<CliBedFixture>
{
    [Fact]
    public async Task Links_ContainerEth0Iflink_FindsOverlayVethAndNamesContainerAsPeer()
    {
        var h1 = new HostScenario(bed.H1);
        var iflink = (await h1.ExecAsync("cli-1", "cat", "/sys/class/net/eth0/iflink")).EnsureSuccess().StdOut.Trim();
        var ifindex = int.Parse((await h1.ExecAsync("cli-1", "cat", "/sys/class/net/eth0/ifindex")).EnsureSuccess().StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var json = await CliBedFixture.DnpAsync(bed.H1, "links", iflink, "--json");
        var table = await CliBedFixture.DnpAsync(bed.H1, "links", iflink);

        Assert.True(json.Succeeded, json.ToString());
        using var doc = JsonDocument.Parse(json.StdOut);
        var overlay = doc.RootElement.GetProperty("matches").EnumerateArray()
            .Single(m => m.GetProperty("namespace").GetProperty("kind").GetString() == "overlay");
        Assert.Equal("dnp-" + CliBedFixture.Network, overlay.GetProperty("namespace").GetProperty("name").GetString());
        Assert.StartsWith("veth", overlay.GetProperty("link").GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("br0", overlay.GetProperty("link").GetProperty("master").GetString());
        var peer = overlay.GetProperty("peer");
        Assert.Equal("docker", peer.GetProperty("namespace").GetProperty("kind").GetString());
        Assert.Equal("cli-1", peer.GetProperty("namespace").GetProperty("container").GetString());
        Assert.Equal("eth0", peer.GetProperty("link").GetProperty("name").GetString());
        Assert.Equal(ifindex, peer.GetProperty("link").GetProperty("index").GetInt32());
        Assert.True(table.Succeeded, table.ToString());
        Assert.Contains("docker:cli-1", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("nsenter --net=", table.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peers_TwoHosts_ListsRemoteEndpointWithItsHostsVtep()
    {
        var json = await CliBedFixture.DnpAsync(bed.H1, "peers", CliBedFixture.Network, "--json");
        var table = await CliBedFixture.DnpAsync(bed.H1, "peers", CliBedFixture.Network);

        Assert.True(json.Succeeded, json.ToString());
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.Equal(CliBedFixture.Network, doc.RootElement.GetProperty("logicalId").GetString());
        var peers = doc.RootElement.GetProperty("peers").EnumerateArray().ToList();
        var remote = peers.Single(p => !p.GetProperty("local").GetBoolean());
        var local = peers.Single(p => p.GetProperty("local").GetBoolean());
        Assert.Equal(bed.Ip2, remote.GetProperty("ipv4").GetString()!.Split('/')[0]);
        Assert.Equal(bed.H2.UnderlayIp.ToString(), remote.GetProperty("vtep").GetString());
        Assert.Equal("live", remote.GetProperty("state").GetString());
        Assert.Equal(bed.Ip1, local.GetProperty("ipv4").GetString()!.Split('/')[0]);
        Assert.Equal(bed.H1.UnderlayIp.ToString(), local.GetProperty("vtep").GetString());
        Assert.True(table.Succeeded, table.ToString());
        var remoteRow = table.StdOut.Split('\n').Single(l => l.Contains(bed.Ip2, StringComparison.Ordinal));
        Assert.Contains(bed.H2.UnderlayIp.ToString(), remoteRow, StringComparison.Ordinal);
        Assert.Contains("remote", remoteRow, StringComparison.Ordinal);
        Assert.Contains("live", remoteRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworksAndNetns_LiveNetwork_ShowBothHostsAndTheKernelsVxlan()
    {
        var networks = await CliBedFixture.DnpAsync(bed.H2, "networks", "--json");
        var netns = await CliBedFixture.DnpAsync(bed.H1, "netns", "--json");
        var status = await CliBedFixture.DnpAsync(bed.H1, "status", "--json");
        var netnsTable = await CliBedFixture.DnpAsync(bed.H1, "netns");

        Assert.True(networks.Succeeded, networks.ToString());
        using var networksDoc = JsonDocument.Parse(networks.StdOut);
        var network = networksDoc.RootElement.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("id").GetString() == CliBedFixture.Network);
        var vni = network.GetProperty("vni").GetUInt32();
        var hostVteps = network.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("locator").GetString()).Order().ToList();
        Assert.Equal(new[] { bed.H1.UnderlayIp.ToString(), bed.H2.UnderlayIp.ToString() }.Order(), hostVteps);
        Assert.All(network.GetProperty("hosts").EnumerateArray(), h => Assert.Equal("live", h.GetProperty("state").GetString()));
        Assert.Equal(2, network.GetProperty("endpoints").GetInt32());

        Assert.True(netns.Succeeded, netns.ToString());
        using var netnsDoc = JsonDocument.Parse(netns.StdOut);
        var ns = netnsDoc.RootElement.GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "dnp-" + CliBedFixture.Network);
        Assert.Equal("open", ns.GetProperty("state").GetString());
        Assert.Equal(vni, ns.GetProperty("kernelVni").GetUInt32());
        var interfaces = ns.GetProperty("interfaces").EnumerateArray().Select(i => i.GetString()).ToList();
        Assert.Contains("br0", interfaces);
        Assert.Contains("vxlan0", interfaces);
        Assert.True(netnsTable.Succeeded, netnsTable.ToString());
        Assert.Contains("dnp-" + CliBedFixture.Network, netnsTable.StdOut, StringComparison.Ordinal);

        Assert.True(status.Succeeded, status.ToString());
        using var statusDoc = JsonDocument.Parse(status.StdOut);
        Assert.Equal(bed.H1.UnderlayIp.ToString(), statusDoc.RootElement.GetProperty("locator").GetString());
    }

    [Fact]
    public async Task Problems_UnknownNetworkUnreachablePluginMissingIndex_ExitNonZeroWithReason()
    {
        var unknown = await CliBedFixture.DnpAsync(bed.H1, "peers", "no-such-net");
        var unreachable = await bed.H1.ExecAsync("env", "DNP_SOCKET=/run/docker/plugins/absent.sock", PluginBinary.Path, "networks");
        var missing = await CliBedFixture.DnpAsync(bed.H1, "links", "99999");
        var usage = await CliBedFixture.DnpAsync(bed.H1, "peers");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no network 'no-such-net'", unknown.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach the plugin", unreachable.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no interface has index 99999", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
    }
}
