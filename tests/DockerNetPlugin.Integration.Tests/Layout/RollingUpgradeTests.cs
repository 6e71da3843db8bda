using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Layout;

/// <summary>Two simulated hosts on a real etcd with no plugin started: each test starts the release it needs on each host.</summary>
public sealed class TwoBareHostsFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 2, StartEtcd = true, StartPlugin = false, StartInternet = false });

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>
/// Issue 15 item 3, the rolling upgrade: host 1 runs the previous release (legacy key layout only), host 2 this one
/// (DNP_KEY_LAYOUT=auto). Containers ping both ways, also one started after both run; then host 1 restarts on this
/// release: the pings go on, and once both hosts announce the by-host layout no legacy copy of a live record is left
/// (host records, endpoint records and memberships all live under <c>dnp/v1/by-host/</c>).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RollingUpgradeTests(TwoBareHostsFixture fixture) : IClassFixture<TwoBareHostsFixture>
{
    private const string Network = "upgrade";

    [Fact]
    public async Task PreviousReleaseBesideThisOne_PingsBothWays_ThenUpgraded_PingsContinue_LegacyCopiesGone()
    {
        var previous = await PreviousRelease.PathAsync();
        var (host1, host2) = (fixture.Bed.Hosts[0], fixture.Bed.Hosts[1]);
        var etcd = fixture.Bed.Etcd!;
        var h1 = new HostScenario(host1);
        var h2 = new HostScenario(host2);
        await host1.StartPluginAsync(previous);
        await host2.StartPluginAsync(PluginBinary.Path);
        string[] options = ["--subnet", "10.41.0.0/24", "-o", "dnp.network=" + Network, "--ipam-opt", "dnp.network=" + Network];
        try
        {
            await h1.CreateNetworkAsync(Network, options);
            await h2.CreateNetworkAsync(Network, options);
            await h1.RunAsync("up-1", Network);
            await h2.RunAsync("up-2", Network);
            var ip1 = await h1.IpOfAsync("up-1", Network);
            var ip2 = await h2.IpOfAsync("up-2", Network);
            Assert.True((await h1.PingEventuallyAsync("up-1", ip2)).Succeeded, "previous release → this release");
            Assert.True((await h2.PingEventuallyAsync("up-2", ip1)).Succeeded, "this release → previous release");

            // Host 1 (the previous release) writes only the legacy layout and announces nothing; host 2 writes both
            // layouts while host 1 is live.
            var id1 = HostId(host1);
            var id2 = HostId(host2);
            Assert.DoesNotContain(await KeysAsync(etcd, "dnp/v1/by-host/"), k => k.StartsWith($"dnp/v1/by-host/{id1}/", StringComparison.Ordinal));
            Assert.DoesNotContain("keyLayout", (await etcd.EtcdctlAsync("get", "--print-value-only", $"dnp/v1/hosts/{id1}")).EnsureSuccess().StdOut, StringComparison.Ordinal);
            Assert.Contains($"dnp/v1/hosts/{id2}", await KeysAsync(etcd, "dnp/v1/hosts/"));
            Assert.Contains($"dnp/v1/by-host/{id2}/host", await KeysAsync(etcd, "dnp/v1/by-host/"));
            Assert.Contains(await KeysAsync(etcd, "dnp/v1/network-hosts/"), k => k.EndsWith("/" + id2, StringComparison.Ordinal));
            Assert.Equal(("auto", "by-host,legacy"), KeyLayoutOf(await h2.StatusJsonAsync())); // what `dnp status` tells the operator

            // A container started after both run is reached from the previous release and reaches it.
            await h2.RunAsync("up-3", Network);
            var ip3 = await h2.IpOfAsync("up-3", Network);
            Assert.True((await h1.PingEventuallyAsync("up-1", ip3)).Succeeded, "previous release → a container started later on this release");
            Assert.True((await h2.PingEventuallyAsync("up-3", ip1)).Succeeded, "a container started later → previous release");

            // Host 1 is upgraded: the plugin stops, this release starts on the same state dir.
            await host1.StopPluginAsync();
            await host1.StartPluginAsync(PluginBinary.Path);
            Assert.True((await h1.PingEventuallyAsync("up-1", ip2)).Succeeded, "after the upgrade: host 1 → host 2");
            Assert.True((await h2.PingEventuallyAsync("up-2", ip1)).Succeeded, "after the upgrade: host 2 → host 1");
            Assert.True((await h2.PingEventuallyAsync("up-3", ip1)).Succeeded, "after the upgrade: the later container → host 1");
            await h1.RunAsync("up-4", Network);
            var ip4 = await h1.IpOfAsync("up-4", Network);
            Assert.True((await h2.PingEventuallyAsync("up-2", ip4)).Succeeded, "a container started on the upgraded host is reached");

            // Both announce the by-host layout now: every legacy copy of a live record goes (the previous release's
            // lease-held ones with its lease, the rest deleted by their owners).
            Assert.True(await Eventually.HoldsAsync(async () =>
                    (await KeysAsync(etcd, "dnp/v1/hosts/")).Count == 0 && (await KeysAsync(etcd, "dnp/v1/endpoints/")).Count == 0
                    && (await KeysAsync(etcd, "dnp/v1/network-hosts/")).Count == 0, TimeSpan.FromSeconds(60)),
                "legacy copies left: " + string.Join(", ", [.. await KeysAsync(etcd, "dnp/v1/hosts/"), .. await KeysAsync(etcd, "dnp/v1/endpoints/"), .. await KeysAsync(etcd, "dnp/v1/network-hosts/")]));
            var byHost = await KeysAsync(etcd, "dnp/v1/by-host/");
            foreach (var id in new[] { id1, id2 })
            {
                Assert.Contains($"dnp/v1/by-host/{id}/host", byHost);
                Assert.Contains($"dnp/v1/by-host/{id}/network-hosts/{Network}", byHost);
            }
            Assert.Equal(2, byHost.Count(k => k.StartsWith($"dnp/v1/by-host/{id1}/endpoints/{Network}/", StringComparison.Ordinal)));
            Assert.Equal(2, byHost.Count(k => k.StartsWith($"dnp/v1/by-host/{id2}/endpoints/{Network}/", StringComparison.Ordinal)));
            Assert.Contains("every live host reads the by-host layout", await File.ReadAllTextAsync(host2.LogPath(SimHost.PluginProcessName)), StringComparison.Ordinal);
            Assert.Equal(("auto", "by-host"), KeyLayoutOf(await h1.StatusJsonAsync()));
            Assert.Equal(("auto", "by-host"), KeyLayoutOf(await h2.StatusJsonAsync()));

            // And the overlay works on the new layout alone.
            Assert.True((await h1.PingAsync("up-4", ip3)).Succeeded, "host 1 → host 2 on the by-host layout only");
            Assert.True((await h2.PingAsync("up-3", ip4)).Succeeded, "host 2 → host 1 on the by-host layout only");
        }
        finally
        {
            await h1.RemoveAsync(["up-1", "up-4"], Network);
            await h2.RemoveAsync(["up-2", "up-3"], Network);
            await host1.StopPluginAsync();
            await host2.StopPluginAsync();
        }
    }

    /// <summary>From <c>dnp status --json</c>: the key layout mode and the layouts written now (comma-separated).</summary>
    private static (string? Mode, string Writes) KeyLayoutOf(string statusJson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(statusJson);
        var layout = doc.RootElement.GetProperty("keyLayout");
        return (layout.GetProperty("mode").GetString(), string.Join(",", layout.GetProperty("writes").EnumerateArray().Select(w => w.GetString())));
    }

    /// <summary>A host's id as its key segment (escaped as every key segment is).</summary>
    internal static string HostId(SimHost host) => DockerNetPlugin.Store.KeyLayout.Escape(File.ReadAllText(Path.Combine(host.StateDir, "host-id")).Trim());

    internal static async Task<List<string>> KeysAsync(EtcdServer etcd, string prefix, params string[] auth) =>
        (await etcd.EtcdctlAsync(["--dial-timeout=30s", "--command-timeout=30s", .. auth, "get", "--prefix", "--keys-only", prefix])).EnsureSuccess().StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
