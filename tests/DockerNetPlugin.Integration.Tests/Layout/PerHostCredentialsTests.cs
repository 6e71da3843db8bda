using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Layout;

/// <summary>
/// Issue 15 item 3, per-host credentials: etcd with authentication on and the README's RBAC setup (a role per host
/// with readwrite on its own <c>by-host/&lt;host&gt;/</c> range and the shared prefixes, read on <c>dnp/v1/</c>, and a
/// user per host); both hosts run with DNP_KEY_LAYOUT=host and their own credential (DNP_ETCD_PASSWORD_FILE). The
/// overlay works; host 2's credential is refused when it writes or deletes under host 1's segment (or in the legacy
/// layout); a record it may write under its own segment but that claims to be host 1's is refused by host 1's reader;
/// the overlay still works afterwards, and neither plugin was ever refused by the store.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PerHostCredentialsTests(TwoBareHostsFixture fixture) : IClassFixture<TwoBareHostsFixture>
{
    private const string Network = "acl";
    private static readonly string[] s_shared = ["networks/", "vnis/", "ipam/", "forgotten-hosts/"];

    [Fact]
    public async Task EtcdAuthOn_EachHostWithItsOwnUser_OverlayWorks_Host2CannotWriteHost1sRecords()
    {
        var (host1, host2) = (fixture.Bed.Hosts[0], fixture.Bed.Hosts[1]);
        var etcd = fixture.Bed.Etcd!;
        var h1 = new HostScenario(host1);
        var h2 = new HostScenario(host2);
        var secrets = Path.Combine(fixture.Bed.RunDirectory, "acl-secrets");
        Directory.CreateDirectory(secrets);
        var root = "root:" + Secret();
        var users = new Dictionary<SimHost, (string User, string Password, string Id)>
        {
            [host1] = ("dnp-acl-1", Secret(), "acl-host-1"),
            [host2] = ("dnp-acl-2", Secret(), "acl-host-2"),
        };
        string[] asRoot = ["--user", root];
        // etcd checks a password with bcrypt on every authenticating call: on a loaded machine that outlasts etcdctl's 5 s default.
        Task<CommandResult> Etcdctl(params string[] args) => etcd.EtcdctlAsync(["--dial-timeout=30s", "--command-timeout=30s", .. args]);
        try
        {
            // The README's setup: the host ids chosen up front, a role and a user per host, then auth on.
            foreach (var (host, (user, password, id)) in users)
            {
                Directory.CreateDirectory(host.StateDir);
                await File.WriteAllTextAsync(Path.Combine(host.StateDir, "host-id"), id + "\n");
                (await Etcdctl("role", "add", user)).EnsureSuccess();
                (await Etcdctl("role", "grant-permission", user, "read", "--prefix=true", "dnp/v1/")).EnsureSuccess();
                (await Etcdctl("role", "grant-permission", user, "readwrite", "--prefix=true", $"dnp/v1/by-host/{id}/")).EnsureSuccess();
                foreach (var shared in s_shared)
                    (await Etcdctl("role", "grant-permission", user, "readwrite", "--prefix=true", "dnp/v1/" + shared)).EnsureSuccess();
                (await Etcdctl("user", "add", $"{user}:{password}")).EnsureSuccess();
                (await Etcdctl("user", "grant-role", user, user)).EnsureSuccess();
                var passwordFile = Path.Combine(secrets, user);
                await File.WriteAllTextAsync(passwordFile, password + "\n");
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            (await Etcdctl("user", "add", root)).EnsureSuccess();
            (await Etcdctl("auth", "enable")).EnsureSuccess();
            Assert.False((await Etcdctl("put", "dnp/v1/networks/x", "anonymous")).Succeeded, "auth is on");

            foreach (var (host, (user, _, _)) in users)
            {
                await host.StartPluginAsync(PluginBinary.Path, new Dictionary<string, string>
                {
                    ["DNP_ETCD_USERNAME"] = user,
                    ["DNP_ETCD_PASSWORD_FILE"] = Path.Combine(secrets, user),
                    ["DNP_KEY_LAYOUT"] = "host",
                });
            }
            string[] options = ["--subnet", "10.42.0.0/24", "-o", "dnp.network=" + Network, "--ipam-opt", "dnp.network=" + Network];
            await h1.CreateNetworkAsync(Network, options);
            await h2.CreateNetworkAsync(Network, options);
            await h1.RunAsync("acl-1", Network);
            await h2.RunAsync("acl-2", Network);
            var ip1 = await h1.IpOfAsync("acl-1", Network);
            var ip2 = await h2.IpOfAsync("acl-2", Network);
            Assert.True((await h1.PingEventuallyAsync("acl-1", ip2)).Succeeded, "host 1 → host 2 with per-host credentials");
            Assert.True((await h2.PingEventuallyAsync("acl-2", ip1)).Succeeded, "host 2 → host 1 with per-host credentials");

            // Everything each host owns is under its own segment; nothing in the legacy layout.
            var (id1, id2) = (users[host1].Id, users[host2].Id);
            var byHost = await RollingUpgradeTests.KeysAsync(etcd, "dnp/v1/by-host/", asRoot);
            Assert.Contains($"dnp/v1/by-host/{id1}/host", byHost);
            Assert.Contains($"dnp/v1/by-host/{id2}/network-hosts/{Network}", byHost);
            Assert.Single(byHost, k => k.StartsWith($"dnp/v1/by-host/{id1}/endpoints/{Network}/", StringComparison.Ordinal));
            foreach (var legacy in new[] { "dnp/v1/hosts/", "dnp/v1/endpoints/", "dnp/v1/network-hosts/" })
                Assert.Empty(await RollingUpgradeTests.KeysAsync(etcd, legacy, asRoot));

            // Host 2's credential: refused under host 1's segment (write, overwrite, delete) and in the legacy layout.
            string[] asHost2 = ["--user", $"{users[host2].User}:{users[host2].Password}"];
            var endpoint1 = byHost.Single(k => k.StartsWith($"dnp/v1/by-host/{id1}/endpoints/{Network}/", StringComparison.Ordinal));
            var forged = $$"""{"networkId":"{{Network}}","endpointId":"forged","hostId":"{{id1}}","iPv4":"10.42.0.200/24","mac":"02:42:0a:2a:00:c8","locator":"{{host1.UnderlayIp}}"}""";
            foreach (var attempt in new[]
            {
                (string[])["put", $"dnp/v1/by-host/{id1}/endpoints/{Network}/forged", forged],
                ["put", endpoint1, forged],
                ["del", endpoint1],
                ["del", $"dnp/v1/by-host/{id1}/host"],
                ["put", $"dnp/v1/endpoints/{Network}/forged", forged],
                ["put", $"dnp/v1/hosts/{id1}", "{}"],
            })
            {
                var refused = await Etcdctl([.. asHost2, .. attempt]);
                Assert.False(refused.Succeeded, $"host 2's credential must not: etcdctl {string.Join(' ', attempt.Take(2))}");
                Assert.Contains("permission denied", refused.StdErr + refused.StdOut, StringComparison.Ordinal);
            }
            Assert.Equal([endpoint1], await RollingUpgradeTests.KeysAsync(etcd, endpoint1, asRoot)); // host 1's record untouched

            // What host 2 may write, under its own segment, cannot speak for host 1: host 1's reader refuses it.
            var ownForgedKey = $"dnp/v1/by-host/{id2}/endpoints/{Network}/forged";
            (await Etcdctl([.. asHost2, "put", ownForgedKey, forged])).EnsureSuccess();
            Assert.True(await Eventually.HoldsAsync(async () => InvalidRecords(await h1.StatusJsonAsync()).Any(r => r.Key == ownForgedKey && r.Reason.Contains("host segment", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
                "host 1 reports the record under host 2's segment that claims host 1: " + await h1.StatusJsonAsync());
            Assert.DoesNotContain("10.42.0.200", (await h1.InOverlayAsync(Network, "ip", "neigh", "show")).StdOut, StringComparison.Ordinal);
            (await Etcdctl([.. asHost2, "del", ownForgedKey])).EnsureSuccess();

            // The overlay still works, also for a container started now.
            Assert.True((await h1.PingAsync("acl-1", ip2)).Succeeded, "host 1 → host 2 afterwards");
            Assert.True((await h2.PingAsync("acl-2", ip1)).Succeeded, "host 2 → host 1 afterwards");
            await h2.RunAsync("acl-3", Network);
            var ip3 = await h2.IpOfAsync("acl-3", Network);
            Assert.True((await h1.PingEventuallyAsync("acl-1", ip3)).Succeeded, "host 1 → a container started afterwards on host 2");

            // Neither plugin was refused anything by the store: the README's roles are all it needs.
            foreach (var host in users.Keys)
            {
                var log = await File.ReadAllTextAsync(host.LogPath(SimHost.PluginProcessName));
                Assert.DoesNotContain("permission denied", log, StringComparison.Ordinal);
                Assert.DoesNotContain(users[host].Password, log, StringComparison.Ordinal);
            }
        }
        finally
        {
            await h1.RemoveAsync(["acl-1"], Network);
            await h2.RemoveAsync(["acl-2", "acl-3"], Network);
            await host1.StopPluginAsync();
            await host2.StopPluginAsync();
            await Etcdctl([.. asRoot, "auth", "disable"]);
            foreach (var (host, (_, _, _)) in users)
                File.Delete(Path.Combine(host.StateDir, "host-id"));
        }
    }

    private static string Secret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    private static List<(string Key, string Reason)> InvalidRecords(string statusJson)
    {
        using var doc = JsonDocument.Parse(statusJson);
        if (!doc.RootElement.TryGetProperty("invalidRecords", out var invalid) || invalid.ValueKind != JsonValueKind.Object)
            return [];
        return invalid.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("reason").GetString()!)).ToList();
    }
}
