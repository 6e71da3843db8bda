using System.Text.Json;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// Names across hosts as a user meets them (issue 14): containers on a dnp network find each other by container name,
/// alias and NAME.NET on every host, in A, AAAA and PTR, through Docker's own 127.0.0.11 (which forwards to our
/// resolver); names follow rename, connect and disconnect, and leave with the container; other names still resolve
/// through the hosts' resolvers; networks a container is not on stay invisible.
/// </summary>
[Collection(NamesCollection.Name)]
public sealed class NamesAcrossHostsTests(NamesBedFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan s_converge = TimeSpan.FromSeconds(30);

    /// <summary>How long a name may take to appear elsewhere after <c>docker run -d</c> returned (the issue asks for "as soon as possible"; p99 is benchmarked).</summary>
    private static readonly TimeSpan s_appear = TimeSpan.FromSeconds(5);

    private IReadOnlyList<NameScenario> Hosts => fixture.Bed.Hosts.Select(h => new NameScenario(h)).ToList();

    [Fact]
    public async Task ContainerNameAliasAndNameDotNet_AnswerOnEveryHost_InAAaaaAndPtr()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        await h1.Docker.CreateNetworkAsync("shop", "--subnet", "10.53.1.0/24", "--ipv6", "--subnet", "fd00:53:1::/64");
        try
        {
            foreach (var h in new[] { h2, h3 })
                await h.Docker.AssertNetworkAppearsAsync("shop", s_converge);
            await h1.RunWithAsync("alpha", "shop", "--network-alias", "api");
            await h2.RunWithAsync("beta", "shop", "--network-alias", "api");
            await h3.Docker.RunAsync("client", "shop");
            var alpha4 = await h1.Docker.IpOfAsync("alpha", "shop");
            var alpha6 = await h1.Docker.Ipv6OfAsync("alpha", "shop");
            var beta4 = await h2.Docker.IpOfAsync("beta", "shop");

            // The container name from another host, through Docker's resolver (busybox nslookup) and straight from ours (dig).
            Assert.Equal([alpha4, alpha6], await NameScenario.EventuallyAsync(() => h3.NslookupAsync("client", "alpha"), [alpha4, alpha6], s_appear));
            Assert.Equal([alpha4], await h3.DigShortAsync("client", "alpha"));
            Assert.Equal([alpha6], await h3.DigShortAsync("client", "alpha", "AAAA"));
            Assert.True((await h3.Docker.PingAsync("client", "alpha")).Succeeded, "ping alpha from h3");

            // An alias held by one container on h1 and one on h2: both addresses, from the host that holds neither.
            Assert.Equal(new[] { alpha4, beta4 }.Order(StringComparer.Ordinal), await NameScenario.EventuallyAsync(() => h3.DigShortAsync("client", "api"), [alpha4, beta4], s_appear));
            var nslookupApi = await h3.NslookupAsync("client", "api");
            Assert.Contains(alpha4, nslookupApi);
            Assert.Contains(beta4, nslookupApi);

            // NAME.NET as Docker answers it, and PTR of an overlay address (container.network, as Docker answers).
            Assert.Equal([alpha4], await h3.DigShortAsync("client", "alpha.shop"));
            Assert.Equal(["alpha.shop."], await h3.PtrAsync("client", alpha4));
            Assert.Equal(["alpha.shop."], await h3.PtrAsync("client", alpha6));

            // Operators see it; status reports the address containers use.
            var names = (await h3.Host.ExecAsync(PluginBinary.Path, "names", "shop")).EnsureSuccess().StdOut;
            output.WriteLine(names);
            Assert.Contains("alpha", names, StringComparison.Ordinal);
            Assert.Contains("beta", names, StringComparison.Ordinal);
            using var status = JsonDocument.Parse(await h3.Docker.StatusJsonAsync());
            Assert.Equal(NamesBedFixture.Resolver, status.RootElement.GetProperty("dns").GetProperty("address").GetString());
        }
        finally
        {
            await h1.Docker.RemoveAsync(["alpha"]);
            await h2.Docker.RemoveAsync(["beta"]);
            await h3.Docker.RemoveAsync(["client"], "shop");
        }
    }

    [Fact]
    public async Task RenameConnectDisconnectAndRemoval_AreFollowedOnOtherHosts()
    {
        var (h1, h2) = (Hosts[0], Hosts[1]);
        await h1.Docker.CreateNetworkAsync("life", "--subnet", "10.53.2.0/24");
        await h1.Docker.CreateNetworkAsync("side", "--subnet", "10.53.3.0/24");
        try
        {
            await h2.Docker.AssertNetworkAppearsAsync("life", s_converge);
            await h2.Docker.AssertNetworkAppearsAsync("side", s_converge);
            await h1.Docker.RunAsync("gamma", "life");
            await h2.Docker.RunAsync("watcher", "life");
            await h2.Docker.RunAsync("sidewatch", "side");
            var gamma = await h1.Docker.IpOfAsync("gamma", "life");
            Assert.Equal([gamma], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("watcher", "gamma"), [gamma], s_appear));

            // Rename: the new name answers, the old one goes.
            (await h1.Host.DockerAsync("rename", "gamma", "delta")).EnsureSuccess();
            Assert.Equal([gamma], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("watcher", "delta"), [gamma], s_appear));
            Assert.Empty(await h2.DigShortAsync("watcher", "gamma"));

            // Connect with an alias: the second network answers the name and the alias, the first does not know the alias.
            (await h1.Host.DockerAsync("network", "connect", "--alias", "cache", "side", "delta")).EnsureSuccess();
            var deltaSide = await h1.Docker.IpOfAsync("delta", "side");
            Assert.Equal([deltaSide], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("sidewatch", "cache"), [deltaSide], s_appear));
            Assert.Equal([deltaSide], await h2.DigShortAsync("sidewatch", "delta"));
            Assert.Equal([deltaSide], await h2.NslookupAsync("sidewatch", "cache"));
            Assert.Empty(await h2.DigShortAsync("watcher", "cache"));

            // Disconnect: gone from the second network, still on the first.
            (await h1.Host.DockerAsync("network", "disconnect", "side", "delta")).EnsureSuccess();
            Assert.Empty(await NameScenario.EventuallyAsync(() => h2.DigShortAsync("sidewatch", "cache"), [], s_appear));
            Assert.Equal([gamma], await h2.DigShortAsync("watcher", "delta"));

            // Removal: gone from the other host within 1 s of `docker rm` returning.
            (await h1.Host.DockerAsync("rm", "-f", "delta")).EnsureSuccess();
            var deadline = DateTime.UtcNow.AddSeconds(1);
            Assert.True(await NameScenario.GoneBeforeAsync(() => h2.DigShortAsync("watcher", "delta"), deadline), "delta must stop answering on h2 within 1 s of its removal");
        }
        finally
        {
            await h1.Docker.RemoveAsync(["gamma", "delta"]);
            await h2.Docker.RemoveAsync(["watcher", "sidewatch"], "life", "side");
        }
    }

    [Fact]
    public async Task OtherNames_ResolveThroughTheHostsResolvers_AlsoForContainersOnNoDnpNetwork()
    {
        var (h1, h2) = (Hosts[0], Hosts[1]);
        await h1.Docker.CreateNetworkAsync("ext", "--subnet", "10.53.4.0/24");
        try
        {
            await h1.Docker.RunAsync("outward", "ext");
            // Forwarded by our resolver to the host's resolv.conf server (the internet namespace's dnsmasq).
            Assert.Equal([NamesBedFixture.ExternalAddress], await h1.NslookupAsync("outward", NamesBedFixture.ExternalName));
            Assert.Equal([NamesBedFixture.ExternalAddress], await h1.DigShortAsync("outward", NamesBedFixture.ExternalName));
            // daemon.json's dns applies to every container: one on the default bridge still resolves through the host namespace's listener.
            (await h2.Host.DockerAsync("run", "-d", "--name", "plain", SingleHost.HostScenario.Image, "sleep", "3600")).EnsureSuccess();
            Assert.Equal([NamesBedFixture.ExternalAddress], await h2.NslookupAsync("plain", NamesBedFixture.ExternalName));
        }
        finally
        {
            await h2.Docker.RemoveAsync(["plain"]);
            await h1.Docker.RemoveAsync(["outward"], "ext");
        }
    }

    [Fact]
    public async Task InternalNetwork_AnswersItsNames_ForwardsNothing()
    {
        var (h1, h2) = (Hosts[0], Hosts[1]);
        await h1.Docker.CreateNetworkAsync("vault", "--internal", "--subnet", "10.53.5.0/24");
        try
        {
            await h2.Docker.AssertNetworkAppearsAsync("vault", s_converge);
            await h1.Docker.RunAsync("inner1", "vault");
            await h2.Docker.RunAsync("inner2", "vault");
            var inner1 = await h1.Docker.IpOfAsync("inner1", "vault");
            Assert.Equal([inner1], await NameScenario.EventuallyAsync(() => h2.DigShortAsync("inner2", "inner1"), [inner1], s_appear));
            Assert.True((await h2.Docker.PingEventuallyAsync("inner2", inner1)).Succeeded);
            // Docker gives a container on internal networks only no upstream of the host; neither do we.
            Assert.Equal("SERVFAIL", await h2.DigStatusAsync("inner2", NamesBedFixture.ExternalName));
            if (int.Parse(h2.Host.EngineVersion.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) >= 26)
            {
                // From 26 Docker forwards an internal container's questions to its --dns servers (20.10 forwards nothing).
                Assert.Equal([inner1], await h2.NslookupAsync("inner2", "inner1"));
            }
        }
        finally
        {
            await h1.Docker.RemoveAsync(["inner1"]);
            await h2.Docker.RemoveAsync(["inner2"], "vault");
        }
    }

    [Fact]
    public async Task ContainerOnTwoDnpNetworks_SeesBoth_OthersSeeOnlyTheirs()
    {
        var (h1, h2, h3) = (Hosts[0], Hosts[1], Hosts[2]);
        await h1.Docker.CreateNetworkAsync("north", "--subnet", "10.53.6.0/24");
        await h1.Docker.CreateNetworkAsync("south", "--subnet", "10.53.7.0/24");
        try
        {
            foreach (var h in new[] { h2, h3 })
            {
                await h.Docker.AssertNetworkAppearsAsync("north", s_converge);
                await h.Docker.AssertNetworkAppearsAsync("south", s_converge);
            }
            await h1.Docker.RunAsync("both", "north");
            // The second Join must not return the resolver's route again (the kernel would refuse it and Docker fail the connect).
            (await h1.Host.DockerAsync("network", "connect", "south", "both")).EnsureSuccess();
            await h2.Docker.RunAsync("northonly", "north");
            await h3.Docker.RunAsync("southonly", "south");
            var north = await h2.Docker.IpOfAsync("northonly", "north");
            var south = await h3.Docker.IpOfAsync("southonly", "south");
            var routes = (await h1.InContainerNetnsAsync("both", ["ip", "-4", "route", "show", NamesBedFixture.Resolver])).EnsureSuccess().StdOut;
            Assert.Single(routes.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            Assert.Equal([north], await NameScenario.EventuallyAsync(() => h1.NslookupAsync("both", "northonly"), [north], s_appear));
            Assert.Equal([south], await NameScenario.EventuallyAsync(() => h1.NslookupAsync("both", "southonly"), [south], s_appear));
            // Isolation: a container sees only the networks it is on.
            Assert.Empty(await h2.DigShortAsync("northonly", "southonly"));
            Assert.Empty(await h3.DigShortAsync("southonly", "northonly"));
            Assert.Equal("NXDOMAIN", await h3.DigStatusAsync("southonly", "northonly"));
        }
        finally
        {
            await h1.Docker.RemoveAsync(["both"]);
            await h2.Docker.RemoveAsync(["northonly"]);
            await h3.Docker.RemoveAsync(["southonly"], "north", "south");
        }
    }
}
