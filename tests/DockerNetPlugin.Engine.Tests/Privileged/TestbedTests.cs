using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Engine.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class TestbedTests(TwoHostFixture fixture, ITestOutputHelper output) : IClassFixture<TwoHostFixture>
{
    private Testbed.Testbed Bed => fixture.Bed;

    [Fact]
    public void StartAsync_TwoHostsEtcdInternet_ReportsItsStartTime()
    {
        output.WriteLine($"2-host bed with etcd and internet started in {Bed.StartDuration.TotalSeconds:0.00} s (prefix {Bed.Prefix}, underlay {Bed.UnderlayNetwork})");

        Assert.Equal(2, Bed.Hosts.Count);
        Assert.True(Bed.StartDuration > TimeSpan.Zero);
    }

    [Fact]
    public async Task StartAsync_TwoHosts_EachRunsBusyboxOnItsDefaultBridge()
    {
        foreach (var host in Bed.Hosts)
        {
            var run = await host.DockerAsync("run", "--rm", Testbed.Testbed.ImageName, "sh", "-c", "ip -4 -o addr show eth0");

            Assert.True(run.Succeeded, run.ToString());
            Assert.Contains("inet 172.17.", run.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StartAsync_TwoHosts_UnderlayCrossesTheFabric()
    {
        var ping = await Bed.Hosts[0].ExecAsync("ping", "-c", "1", "-W", "2", Bed.Hosts[1].UnderlayIp.ToString());
        var links = await Bed.Hosts[0].ExecAsync("ip", "-br", "link");

        Assert.True(ping.Succeeded, ping.ToString());
        Assert.Contains("eth0", links.StdOut, StringComparison.Ordinal);
        Assert.Contains("docker0", links.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Internet_ContainerRequest_ArrivesMasqueradedAsTheHostUnderlayIp()
    {
        var host = Bed.Hosts[0];

        var run = await host.DockerAsync("run", "--rm", Testbed.Testbed.ImageName, "timeout", "10", "wget", "-qO-", Bed.Internet!.WhoAmIUrl);

        Assert.True(run.Succeeded, run.ToString());
        Assert.Equal(host.UnderlayIp.ToString(), run.StdOut.Trim());
    }

    [Fact]
    public async Task Internet_PublishedPort_IsReachableFromOutside()
    {
        var host = Bed.Hosts[1];
        var run = await host.DockerAsync("run", "-d", "--name", "dnpt-web", "-p", "8080:80", Testbed.Testbed.ImageName, "sh", "-c", "mkdir -p /www && echo published > /www/index.html && exec httpd -f -p 80 -h /www");
        try
        {
            Assert.True(run.Succeeded, run.ToString());
            CommandResult? get = null;
            for (var i = 0; i < 50 && get is not { Succeeded: true }; i++)
            {
                get = await Bed.Internet!.HttpGetAsync($"http://{host.UnderlayIp}:8080/");
                await Task.Delay(100);
            }

            Assert.Equal("published", get!.StdOut.Trim());
        }
        finally
        {
            await host.DockerAsync("rm", "-f", "dnpt-web");
        }
    }

    [Fact]
    public async Task Etcd_FromHostAndCtl_StoresAndServes()
    {
        var put = await Bed.Etcd!.EtcdctlAsync("put", "dnpt/probe", "42");
        var get = await Bed.Etcd.EtcdctlAsync("get", "--print-value-only", "dnpt/probe");
        var health = await Bed.Hosts[1].ExecAsync("busybox", "wget", "-qO-", Bed.Etcd.ClientUrl + "/health");

        Assert.True(put.Succeeded, put.ToString());
        Assert.Equal("42", get.StdOut.Trim());
        Assert.Contains("true", health.StdOut, StringComparison.Ordinal);
        Assert.Equal(Bed.Etcd.StoreUri, Bed.Hosts[0].StoreUri);
    }

    [Fact]
    public async Task StartPluginAsync_StandIn_GetsHostEnvironmentAndItsSocketIsOnlyInThatHost()
    {
        var host = Bed.Hosts[0];
        var standIn = Path.Combine(Bed.RunDirectory, "standin.sh");
        await File.WriteAllTextAsync(standIn, """
            #!/bin/sh
            env | grep '^DNP_' > "$DNP_STATE_DIR/env.txt"
            exec /usr/bin/python3 -c 'import os,socket; s=socket.socket(socket.AF_UNIX); s.bind(os.environ["DNP_SOCKET"]); s.listen(8)
            while True: s.accept()[0].close()'
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(standIn, (UnixFileMode)0x1ED);
        try
        {
            await host.StartPluginAsync(standIn, new Dictionary<string, string> { ["DNP_LOG_LEVEL"] = "Trace" });

            var env = await File.ReadAllTextAsync(Path.Combine(host.StateDir, "env.txt"));
            var insideH1 = await host.ExecAsync("test", "-S", "/run/docker/plugins/dnp.sock");
            var insideH2 = await Bed.Hosts[1].ExecAsync("test", "-S", "/run/docker/plugins/dnp.sock");
            Assert.True(File.Exists(host.PluginSocketPath));
            Assert.True(insideH1.Succeeded);
            Assert.False(insideH2.Succeeded);
            Assert.Contains("DNP_SOCKET=/run/docker/plugins/dnp.sock", env, StringComparison.Ordinal);
            Assert.Contains($"DNP_ADVERTISE_ADDR={host.UnderlayIp}", env, StringComparison.Ordinal);
            Assert.Contains($"DNP_DOCKER_HOST={host.DockerHost}", env, StringComparison.Ordinal);
            Assert.Contains("DNP_LOG_LEVEL=Trace", env, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopPluginAsync();
        }

        Assert.False(host.IsProcessRunning(SimHost.PluginProcessName));
    }

    [Fact]
    public async Task StartPluginAsync_BinaryExits_ThrowsWithLogTail()
    {
        var ex = await Assert.ThrowsAsync<TestbedException>(() => Bed.Hosts[1].StartPluginAsync("/bin/false"));

        Assert.Contains("exited", ex.Message, StringComparison.Ordinal);
    }
}
