using System.Text.Json;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.MultiHost;

/// <summary>Three simulated hosts on one etcd, the plugin running on the first two only: the third joins when a test starts it.</summary>
public sealed class LateThirdHostFixture : IAsyncLifetime
{
    public Testbed.Testbed Bed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 3, StartEtcd = true, StartPlugin = false, StartInternet = false });
        await Task.WhenAll(Bed.Hosts.Take(2).Select(h => h.StartPluginAsync(PluginBinary.Path)));
    }

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>
/// The VXLAN guard and a host that joins later: two hosts run a network with the guard in place (it lets in their two
/// VTEPs only), then the third host's plugin starts. Its VTEP is let in on both as soon as its record appears, and
/// its containers reach the others and are reached by them, with nothing dropped, while the guard stays on.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class VxlanGuardLateHostTests(LateThirdHostFixture fixture) : IClassFixture<LateThirdHostFixture>
{
    [Fact]
    public async Task HostJoiningAfterTheGuardIsInPlace_ItsVtepLetIn_PingsBothWays_NothingDropped()
    {
        var hosts = fixture.Bed.Hosts.Select(h => new HostScenario(h)).ToList();
        var (h1, h2, h3) = (hosts[0], hosts[1], hosts[2]);
        string[] options = ["--subnet", "10.42.0.0/24", "-o", "dnp.network=late", "--ipam-opt", "dnp.network=late"];
        try
        {
            await h1.CreateNetworkAsync("late", options);
            await h2.CreateNetworkAsync("late", options);
            await Task.WhenAll(h1.RunAsync("late-1", "late"), h2.RunAsync("late-2", "late"));
            var ip1 = await h1.IpOfAsync("late-1", "late");
            var ip2 = await h2.IpOfAsync("late-2", "late");
            Assert.True((await h1.PingEventuallyAsync("late-1", ip2)).Succeeded, "the first two hosts reach each other through the guard");
            foreach (var h in new[] { h1, h2 })
            {
                var guard = Guard(await h.StatusJsonAsync());
                Assert.Equal("active", guard.GetProperty("state").GetString());
                Assert.Equal(2, guard.GetProperty("vteps").GetInt32()); // the third host is not in the cluster yet
            }

            await fixture.Bed.Hosts[2].StartPluginAsync(PluginBinary.Path);
            foreach (var h in new[] { h1, h2 })
            {
                Assert.True(await Eventually.HoldsAsync(async () => Guard(await h.StatusJsonAsync()).GetProperty("vteps").GetInt32() == 3, TimeSpan.FromSeconds(30)),
                    $"{h.Host.Name}'s guard lets the new host's VTEP in: " + Guard(await h.StatusJsonAsync()));
            }
            var dropped = await Task.WhenAll(hosts.Take(2).Select(async h => Guard(await h.StatusJsonAsync()).GetProperty("droppedPackets").GetUInt64()));

            await h3.CreateNetworkAsync("late", options);
            await h3.RunAsync("late-3", "late");
            var ip3 = await h3.IpOfAsync("late-3", "late");
            Assert.Equal("active", Guard(await h3.StatusJsonAsync()).GetProperty("state").GetString());
            Assert.True((await h3.PingEventuallyAsync("late-3", ip1)).Succeeded, "the new host reaches host 1");
            Assert.True((await h3.PingEventuallyAsync("late-3", ip2)).Succeeded, "the new host reaches host 2");
            Assert.True((await h1.PingEventuallyAsync("late-1", ip3)).Succeeded, "host 1 reaches the new host");
            Assert.True((await h2.PingEventuallyAsync("late-2", ip3)).Succeeded, "host 2 reaches the new host");
            Assert.True((await h1.PingAsync("late-1", ip2)).Succeeded, "the first two still reach each other");

            for (var i = 0; i < 2; i++)
            {
                var guard = Guard(await hosts[i].StatusJsonAsync());
                Assert.Equal("active", guard.GetProperty("state").GetString());
                Assert.Equal(dropped[i], guard.GetProperty("droppedPackets").GetUInt64()); // the new host's VXLAN was let in, none of it dropped
            }
        }
        finally
        {
            await h3.RemoveAsync(["late-3"], "late");
            await h1.RemoveAsync(["late-1"], "late");
            await h2.RemoveAsync(["late-2"], "late");
        }
    }

    private static JsonElement Guard(string statusJson) => VxlanGuardTests.Guard(statusJson);
}
