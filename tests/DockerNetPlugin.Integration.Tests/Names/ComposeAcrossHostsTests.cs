namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>
/// The story: one Docker Compose v2 project split over two hosts (<c>web</c> on h1, <c>client</c> on h2) on one
/// dnp network. The client reaches the web service by its service name and by its container name, as it would on one host.
/// </summary>
[Collection(NamesCollection.Name)]
public sealed class ComposeAcrossHostsTests(NamesBedFixture fixture)
{
    [Fact]
    public async Task ComposeProjectSplitOverTwoHosts_ReachesEachOtherByServiceName()
    {
        var h1 = new NameScenario(fixture.Bed.Hosts[0]);
        var h2 = new NameScenario(fixture.Bed.Hosts[1]);
        await h1.Docker.CreateNetworkAsync("shopnet", "--subnet", "10.53.9.0/24");
        var dir = Directory.CreateTempSubdirectory("dnp-compose-");
        try
        {
            await h2.Docker.AssertNetworkAppearsAsync("shopnet", TimeSpan.FromSeconds(30));
            var web = await WriteProjectAsync(dir.FullName, "web", "echo shop-web > /tmp/index.html && exec busybox httpd -f -p 80 -h /tmp");
            var client = await WriteProjectAsync(dir.FullName, "client", "exec sleep 3600");
            (await Compose(h1, web, "up", "-d")).EnsureSuccess();
            (await Compose(h2, client, "up", "-d")).EnsureSuccess();

            var webIp = await h1.Docker.IpOfAsync("shop-web-1", "shopnet");
            Assert.Equal([webIp], await NameScenario.EventuallyAsync(() => h2.NslookupAsync("shop-client-1", "web"), [webIp], TimeSpan.FromSeconds(5)));
            Assert.Equal([webIp], await h2.NslookupAsync("shop-client-1", "shop-web-1"));
            var ping = await h2.Docker.PingEventuallyAsync("shop-client-1", "web");
            Assert.True(ping.Succeeded, "ping web from the client on h2: " + ping);
            // An HTTP exchange with the service by its name (nc: the image's busybox-static wget crashes, also on an address).
            var page = await h2.Docker.ExecAsync("shop-client-1", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 web 80");
            Assert.True(page.Succeeded, "the web service answers the client on h2: " + page);
            Assert.Contains("shop-web", page.StdOut, StringComparison.Ordinal);
            // And back: the web service finds its client by service name.
            var clientIp = await h2.Docker.IpOfAsync("shop-client-1", "shopnet");
            Assert.Equal([clientIp], await h1.NslookupAsync("shop-web-1", "client"));
        }
        finally
        {
            await Compose(h2, Path.Combine(dir.FullName, "client.yaml"), "down");
            await Compose(h1, Path.Combine(dir.FullName, "web.yaml"), "down");
            await h1.Docker.RemoveAsync([], "shopnet");
            dir.Delete(recursive: true);
        }
    }

    /// <summary>One host's half of project <c>shop</c>: one service on the external dnp network.</summary>
    private static async Task<string> WriteProjectAsync(string dir, string service, string command)
    {
        var path = Path.Combine(dir, service + ".yaml");
        await File.WriteAllTextAsync(path, $"""
            name: shop
            services:
              {service}:
                image: {SingleHost.HostScenario.Image}
                command: ["sh", "-c", "{command}"]
            networks:
              default:
                name: shopnet
                external: true
            """);
        return path;
    }

    private static Task<Testbed.CommandResult> Compose(NameScenario host, string file, params string[] args) =>
        host.Host.DockerAsync(["compose", "-f", file, .. args], CancellationToken.None, TimeSpan.FromSeconds(180));
}
