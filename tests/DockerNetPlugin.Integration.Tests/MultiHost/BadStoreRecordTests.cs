using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.MultiHost;

/// <summary>
/// Issue 15's operator scenario: bad records put into etcd beside a working network (an endpoint record without
/// <c>mac</c>, <c>{}</c>, <c>not json</c>, junk keys under <c>networks/</c> and <c>vnis/</c>). A container started
/// afterwards on host 1 is programmed on host 2 and the ping works, a new network can be created, both plugins'
/// logs name the bad keys, <c>dnp status</c> counts them, <c>dnp doctor</c> reports them as record-invalid, and
/// <c>dnp doctor --repair</c> never programs them into a kernel.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BadStoreRecordTests(TwoHostEtcdFixture fixture) : IClassFixture<TwoHostEtcdFixture>
{
    private const string Prefix = "dnp/v1/";

    [Fact]
    public async Task JunkBesideAWorkingNetwork_NewContainerStillProgrammed_Reported_NeverRepairedIntoTheKernel()
    {
        var h1 = new HostScenario(fixture.Bed.Hosts[0]);
        var h2 = new HostScenario(fixture.Bed.Hosts[1]);
        var etcd = fixture.Bed.Etcd!;
        string[] options = ["--subnet", "10.37.0.0/24", "-o", "dnp.network=junk", "--ipam-opt", "dnp.network=junk"];
        string[] bad =
        [
            Prefix + "endpoints/junk/nomac",
            Prefix + "endpoints/junk/empty",
            Prefix + "endpoints/junk/notjson",
            Prefix + "networks/junknet",
            Prefix + "vnis/junkvni",
        ];
        await h1.CreateNetworkAsync("junk", options);
        await h2.CreateNetworkAsync("junk", options);
        try
        {
            await h2.RunAsync("junk-2", "junk");
            (await etcd.EtcdctlAsync("put", bad[0], """{"networkId":"junk","endpointId":"nomac","hostId":"h","iPv4":"10.37.0.50/24","locator":"10.0.0.9"}""")).EnsureSuccess();
            (await etcd.EtcdctlAsync("put", bad[1], "{}")).EnsureSuccess();
            (await etcd.EtcdctlAsync("put", bad[2], "not json")).EnsureSuccess();
            (await etcd.EtcdctlAsync("put", bad[3], "not json")).EnsureSuccess();
            (await etcd.EtcdctlAsync("put", bad[4], "x")).EnsureSuccess();

            // A container started afterwards on host 1 is programmed on host 2: the ping works both ways.
            await h1.RunAsync("junk-1", "junk");
            var ip1 = await h1.IpOfAsync("junk-1", "junk");
            var ip2 = await h2.IpOfAsync("junk-2", "junk");
            Assert.True((await h2.PingEventuallyAsync("junk-2", ip1)).Succeeded, "host 2 reaches the container started on host 1 after the junk");
            Assert.True((await h1.PingAsync("junk-1", ip2)).Succeeded, "host 1 reaches host 2's container");

            // A new network can be created (VNI allocation reads vnis/ past the junk).
            await h1.CreateNetworkAsync("junk-new", "--subnet", "10.38.0.0/24", "-o", "dnp.network=junknew", "--ipam-opt", "dnp.network=junknew");

            // Logged (by key and reason), counted in dnp status, reported by dnp doctor as record-invalid.
            foreach (var host in new[] { h1, h2 })
            {
                Assert.True(await Eventually.HoldsAsync(async () => InvalidKeys(await host.StatusJsonAsync()).Count >= 3, TimeSpan.FromSeconds(30)),
                    $"{host.Host.Name}: dnp status counts the bad endpoint records: " + await host.StatusJsonAsync());
                var keys = InvalidKeys(await host.StatusJsonAsync());
                Assert.Contains(bad[0], keys);
                Assert.Contains(bad[1], keys);
                Assert.Contains(bad[2], keys);
                var doctor = await host.Host.ExecAsync(PluginBinary.Path, "doctor");
                Assert.Contains("record-invalid", doctor.StdOut, StringComparison.Ordinal);
                Assert.Contains(bad[0], doctor.StdOut, StringComparison.Ordinal);
                var log = await File.ReadAllTextAsync(host.Host.LogPath(SimHost.PluginProcessName));
                Assert.Contains(bad[0], log, StringComparison.Ordinal);
                Assert.Contains("'mac' is missing", log, StringComparison.Ordinal);
            }
            var h1Keys = InvalidKeys(await h1.StatusJsonAsync());
            Assert.Contains(bad[4], h1Keys); // read when host 1 allocated the new network's VNI
            (await h1.Host.ExecAsync(PluginBinary.Path, "doctor")).StdOut.ToString(); // a reconcile pass reads networks/ and vnis/
            Assert.True(await Eventually.HoldsAsync(async () => InvalidKeys(await h1.StatusJsonAsync()).Contains(bad[3]), TimeSpan.FromSeconds(30)),
                "the networks/ junk is reported once a reconcile pass (or replication) read networks/");

            // doctor --repair never "repairs" them into the kernel: host 2's overlay knows only host 1's real container.
            var repaired = await h2.Host.ExecAsync(PluginBinary.Path, "doctor", "--repair");
            Assert.DoesNotContain("repaired", repaired.StdOut.Split('\n').Where(l => l.Contains("record-invalid", StringComparison.Ordinal)).FirstOrDefault() ?? "", StringComparison.OrdinalIgnoreCase);
            var neighbours = OverlayTables.Neighbours((await h2.InOverlayAsync("junk", "ip", "neigh", "show", "dev", "vxlan0")).EnsureSuccess().StdOut);
            Assert.Single(neighbours);
            Assert.Contains(ip1, neighbours[0], StringComparison.Ordinal);
            Assert.DoesNotContain("10.37.0.50", (await h2.InOverlayAsync("junk", "ip", "neigh", "show")).StdOut, StringComparison.Ordinal);
            Assert.Single(OverlayTables.RemoteFdb((await h2.InOverlayAsync("junk", "bridge", "fdb", "show", "dev", "vxlan0")).EnsureSuccess().StdOut));
            Assert.True((await h2.PingAsync("junk-2", ip1)).Succeeded, "still pinging after doctor --repair");
        }
        finally
        {
            foreach (var key in bad)
                await etcd.EtcdctlAsync("del", key);
            await h1.RemoveAsync(["junk-1"], "junk", "junk-new");
            await h2.RemoveAsync(["junk-2"], "junk");
        }
    }

    /// <summary>The keys <c>dnp status --json</c> lists under invalidRecords.</summary>
    private static List<string> InvalidKeys(string statusJson)
    {
        using var doc = JsonDocument.Parse(statusJson);
        if (!doc.RootElement.TryGetProperty("invalidRecords", out var invalid) || invalid.ValueKind != JsonValueKind.Object)
            return [];
        return invalid.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("key").GetString()!).ToList();
    }
}
