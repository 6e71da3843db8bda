using System.Diagnostics;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// A host that dies (plugin and dockerd killed, underlay down) stops renewing its lease: its names stop answering on
/// the other hosts within the lease TTL (plus the store's expiry sweep and the watch), the survivors' names stay.
/// Its own bed: the host does not come back.
/// </summary>
public sealed class NamesDeadHostTests(NamesDeadHostFixture fixture, ITestOutputHelper output) : IClassFixture<NamesDeadHostFixture>
{
    [Fact]
    public async Task KilledHost_ItsNamesLeaveWithinTheLease_OthersStay()
    {
        var hosts = fixture.Bed.Hosts.Select(h => new NameScenario(h)).ToList();
        var (h1, h2, h3) = (hosts[0], hosts[1], hosts[2]);
        await h1.Docker.CreateNetworkAsync("fate", "--subnet", "10.53.11.0/24");
        foreach (var h in new[] { h2, h3 })
            await h.Docker.AssertNetworkAppearsAsync("fate", TimeSpan.FromSeconds(30));
        await h1.RunWithAsync("stayer", "fate", "--network-alias", "pool");
        await h2.Docker.RunAsync("observer", "fate");
        await h3.RunWithAsync("goner", "fate", "--network-alias", "pool");
        var stayer = await h1.Docker.IpOfAsync("stayer", "fate");
        var goner = await h3.Docker.IpOfAsync("goner", "fate");
        Assert.Equal([goner], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("observer", "goner"), [goner], TimeSpan.FromSeconds(5)));
        Assert.Equal(new[] { stayer, goner }.Order(StringComparer.Ordinal), await NameScenario.EventuallyAsync(() => h2.DigShortAsync("observer", "pool"), [stayer, goner], TimeSpan.FromSeconds(5)));

        var watch = Stopwatch.StartNew();
        var dead = fixture.Bed.Hosts[2];
        await dead.StopPluginAsync(kill9: true);
        await dead.StopDockerdAsync(kill9: true);
        (await dead.ExecAsync("ip", "link", "set", dead.UnderlayInterface, "down")).EnsureSuccess();

        // The lease TTL, plus etcd's expiry sweep and the watch delivery (the same bound as the replication dead-host test).
        var limit = NamesBedFixture.LeaseTtl * 3;
        Assert.Empty(await NameScenario.EventuallyAsync(() => h2.DigShortAsync("observer", "goner"), [], limit));
        output.WriteLine($"h3's names left h2 {watch.Elapsed.TotalSeconds:F1} s after it died (lease TTL {NamesBedFixture.LeaseTtl.TotalSeconds} s)");
        Assert.Equal([stayer], await h2.DigShortAsync("observer", "pool"));
        Assert.Equal([stayer], await h2.DigShortAsync("observer", "stayer"));
    }
}
