using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// dnp the way users get Docker plugins: <c>make plugin-push</c> from host 1 to a local registry on the fabric, then
/// <c>docker plugin install REF</c> with every setting on the command line on fresh hosts 2 and 3 (real etcd, network
/// replication on), a network across them, <c>docker plugin disable</c> for 20 s and <c>enable</c>, and <c>docker plugin
/// upgrade</c> to a second tag on each host in turn while their containers ping each other: no reply may be lost
/// (issue 18), settings and state are checked afterwards.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class RegistryInstallUpgradeTests(ITestOutputHelper output)
{
    private const int UnderlayOctet = 88;
    private const string Alias = "dnp";
    private const string Driver = Alias + ":latest";
    private const string Network = "regnet";
    private static readonly TimeSpan s_docker = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task PushInstallUpgrade_OverlayAcrossFreshHosts_SettingsAndStateKept_RepliesLostCounted()
    {
        var registryAddress = LocalRegistry.AddressFor(UnderlayOctet);
        await using var bed = await Testbed.Testbed.StartAsync(new TestbedOptions
        {
            HostCount = 3,
            StartEtcd = true,
            StartInternet = false,
            UnderlayThirdOctet = UnderlayOctet,
            DockerdArguments = ["--insecure-registry", registryAddress],
        });
        await using var registry = await LocalRegistry.StartAsync(bed, bed.RouterAddress);
        var (h1, h2, h3) = (bed.Hosts[0], bed.Hosts[1], bed.Hosts[2]);
        var ref1 = $"{registry.Address}/dnp:1";
        var ref2 = $"{registry.Address}/dnp:2";
        try
        {
            // Host 1 publishes both tags with the Makefile; tag 2 differs by one file, as a new release would.
            await PushAsync(bed, h1, ref1, PluginBundle.Require());
            var second = Path.Combine(bed.RunDirectory, "plugin-2");
            (await h1.ExecAsync("cp", "-a", PluginBundle.Require(), second)).EnsureSuccess();
            await File.WriteAllTextAsync(Path.Combine(second, "rootfs", "etc", "dnp-release"), "2\n");
            await PushAsync(bed, h1, ref2, second);
            Assert.False((await h1.DockerAsync("plugin", "ls", "-q")).StdOut.Trim().Length > 0, "make plugin-push leaves no plugin on the pushing host");

            foreach (var host in new[] { h2, h3 })
            {
                (await host.ExecAsync("sh", "-c", $"mkdir -p {NetnsDir(bed, host)} && mount --bind {NetnsDir(bed, host)} {NetnsDir(bed, host)} && mount --make-shared {NetnsDir(bed, host)}")).EnsureSuccess();
                var install = await Docker(host, ["plugin", "install", "--grant-all-permissions", "--alias", Alias, ref1, .. Settings(host, bed)]);
                Assert.True(install.Succeeded, $"{host.Name}: docker plugin install {ref1}: {install}");
            }

            (await Docker(h2, "network", "create", "-d", Driver, "--ipam-driver", Driver, "--subnet", "10.48.0.0/24", Network)).EnsureSuccess();
            Assert.True(await Eventually.HoldsAsync(async () => (await Docker(h3, "network", "inspect", Network)).Succeeded, TimeSpan.FromSeconds(60)),
                $"{Network} created on h2 is replicated to h3");
            (await Docker(h2, "run", "-d", "--name", "reg-2", "--network", Network, Testbed.Testbed.ImageName, "sleep", "3600")).EnsureSuccess();
            (await Docker(h3, "run", "-d", "--name", "reg-3", "--network", Network, Testbed.Testbed.ImageName, "sleep", "3600")).EnsureSuccess();
            var ip2 = await IpOfAsync(h2, "reg-2");
            var ip3 = await IpOfAsync(h3, "reg-3");
            Assert.True(await Eventually.HoldsAsync(async () => (await Docker(h2, "exec", "reg-2", "ping", "-c", "1", "-W", "2", ip3)).Succeeded, TimeSpan.FromSeconds(30)),
                "the overlay works across the hosts that installed dnp from the registry");

            // Disable h3's plugin for 20 s while h2's container pings h3's: a stop is not a departure.
            var lostWhileDisabled = await DisableWhilePingingAsync(bed, h3, pinger: (h2, "reg-2"), ip3);
            output.WriteLine($"docker plugin disable for 20 s, then enable, on h3: {lostWhileDisabled}");

            // Upgrade h3 while h2's container pings h3's, then h2 while h3's pings h2's.
            var lostOnH3 = await UpgradeWhilePingingAsync(bed, h3, ref2, pinger: (h2, "reg-2"), ip3);
            var lostOnH2 = await UpgradeWhilePingingAsync(bed, h2, ref2, pinger: (h3, "reg-3"), ip2);
            output.WriteLine($"docker plugin upgrade {ref1} → {ref2}: {lostOnH3} on h3, {lostOnH2} on h2 (pings every 100 ms across the upgraded host)");

            // State kept: the network, both containers with their addresses, both endpoints known cluster-wide, new containers work.
            Assert.Equal(ip2, await IpOfAsync(h2, "reg-2"));
            Assert.Equal(ip3, await IpOfAsync(h3, "reg-3"));
            var peers = await h3.ExecAsync(PluginBinary.Path, "peers", Network, "--json"); // finds the managed plugin's socket itself
            Assert.True(peers.Succeeded, "dnp peers after the upgrade: " + peers);
            Assert.Contains(ip2, peers.StdOut, StringComparison.Ordinal);
            Assert.Contains(ip3, peers.StdOut, StringComparison.Ordinal);
            (await Docker(h3, "run", "-d", "--name", "reg-3b", "--network", Network, Testbed.Testbed.ImageName, "sleep", "3600")).EnsureSuccess();
            Assert.True(await Eventually.HoldsAsync(async () => (await Docker(h3, "exec", "reg-3b", "ping", "-c", "1", "-W", "2", ip2)).Succeeded, TimeSpan.FromSeconds(30)),
                "a container started after the upgrade reaches the other host");
            Assert.True((await Docker(h2, "exec", "reg-2", "ping", "-c", "2", "-W", "2", ip3)).Succeeded, "the containers from before the upgrade still reach each other");
        }
        finally
        {
            foreach (var host in new[] { h2, h3 })
            {
                await Docker(host, "rm", "-f", "reg-2", "reg-3", "reg-3b");
                await Docker(host, "network", "rm", Network);
                await Docker(host, "plugin", "disable", "-f", Alias);
                await Docker(host, "plugin", "rm", "-f", Alias);
            }
            await Docker(h1, "plugin", "rm", "-f", ref1);
            await Docker(h1, "plugin", "rm", "-f", ref2);
        }
    }

    /// <summary>
    /// The upgrade as the README tells it, on <paramref name="host"/>, while <paramref name="pinger"/> pings <paramref name="target"/> (an
    /// address on <paramref name="host"/>) every 100 ms; returns "N of M replies lost". Checks what the upgrade keeps: the env settings.
    /// The mount sources come back to the manifest's defaults (Docker keeps a set mount source in the plugin's config, which the
    /// upgrade replaces), so they are set again before enabling, as the README says.
    /// </summary>
    private async Task<string> UpgradeWhilePingingAsync(Testbed.Testbed bed, SimHost host, string newRef, (SimHost Host, string Container) pinger, string target)
    {
        var pings = pinger.Host.DockerAsync(["exec", pinger.Container, "ping", "-i", "0.1", "-c", "400", "-W", "1", target], CancellationToken.None, TimeSpan.FromSeconds(120));
        await Task.Delay(2000);
        var clock = Stopwatch.StartNew();
        (await Docker(host, "plugin", "disable", "-f", Alias)).EnsureSuccess();
        // --skip-remote-check: the docker CLI otherwise asks "Plugin images do not match, are you sure?" for any other tag.
        var upgrade = await Docker(host, "plugin", "upgrade", "--grant-all-permissions", "--skip-remote-check", Alias, newRef);
        var env = (await Docker(host, "plugin", "inspect", "-f", "{{json .Settings.Env}}", Alias)).StdOut;
        var mounts = (await Docker(host, "plugin", "inspect", "-f", "{{range .Config.Mounts}}{{.Name}}={{.Source}} {{end}}", Alias)).StdOut.Trim();
        var set = await Docker(host, ["plugin", "set", Alias, .. MountSettings(host, bed)]);
        var enable = await Docker(host, "plugin", "enable", Alias);
        var upgradeTook = clock.Elapsed;
        var reference = (await Docker(host, "plugin", "inspect", "-f", "{{.PluginReference}}", Alias)).StdOut.Trim();
        var result = await pings;

        Assert.True(upgrade.Succeeded, $"{host.Name}: docker plugin upgrade: {upgrade}");
        Assert.Equal(newRef, reference);
        Assert.Contains("DNP_STORE=" + bed.Etcd!.StoreUri, env, StringComparison.Ordinal);
        Assert.Contains("DNP_ADVERTISE_ADDR=" + host.UnderlayIp, env, StringComparison.Ordinal);
        Assert.Contains("docker-socket=/var/run/docker.sock", mounts, StringComparison.Ordinal);
        Assert.Contains("netns=/run/netns", mounts, StringComparison.Ordinal);
        Assert.True(set.Succeeded, set.ToString());
        Assert.True(enable.Succeeded, $"{host.Name}: docker plugin enable after the upgrade: {enable}");
        var summary = PingSummary().Match(result.StdOut);
        Assert.True(summary.Success, "ping summary: " + result);
        var sent = int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
        var received = int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"{host.Name}: disable, upgrade, set mounts, enable took {upgradeTook.TotalSeconds:F1} s; {sent - received} of {sent} replies lost");
        Assert.True(sent == received, $"{host.Name}: {sent - received} of {sent} replies lost across its upgrade (a stop is not a departure)");
        Assert.True(await Eventually.HoldsAsync(async () => (await pinger.Host.DockerAsync("exec", pinger.Container, "ping", "-c", "1", "-W", "2", target)).Succeeded, TimeSpan.FromSeconds(30)),
            $"traffic to {host.Name} resumes after its upgrade");
        return $"{sent - received} of {sent} replies lost";
    }

    /// <summary>
    /// <c>docker plugin disable -f</c> on <paramref name="host"/> for 20 s and <c>enable</c> again while <paramref name="pinger"/> pings
    /// <paramref name="target"/> every 100 ms: no reply is lost, and the host's endpoint records never leave etcd (polled every 250 ms).
    /// </summary>
    private async Task<string> DisableWhilePingingAsync(Testbed.Testbed bed, SimHost host, (SimHost Host, string Container) pinger, string target)
    {
        var records = await EndpointKeysAsync(bed);
        Assert.NotEmpty(records);
        var pings = pinger.Host.DockerAsync(["exec", pinger.Container, "ping", "-i", "0.1", "-c", "300", "-W", "1", target], CancellationToken.None, TimeSpan.FromSeconds(120));
        await Task.Delay(2000);
        (await Docker(host, "plugin", "disable", "-f", Alias)).EnsureSuccess();
        var missing = 0;
        var disabled = Stopwatch.StartNew();
        while (disabled.Elapsed < TimeSpan.FromSeconds(20))
        {
            var now = await EndpointKeysAsync(bed);
            if (records.Any(k => !now.Contains(k)))
                missing++;
            await Task.Delay(250);
        }
        (await Docker(host, "plugin", "enable", Alias)).EnsureSuccess();
        var result = await pings;

        var (sent, received) = Reliability.PingRun.Counts(result);
        Assert.True(sent > 0, "ping summary: " + result);
        Assert.Equal(0, missing);
        Assert.True(sent == received, $"{host.Name}: {sent - received} of {sent} replies lost while its plugin was disabled");
        return $"{sent - received} of {sent} replies lost, endpoint records missing in {missing} polls";
    }

    /// <summary>The endpoint record keys in etcd now.</summary>
    private static async Task<HashSet<string>> EndpointKeysAsync(Testbed.Testbed bed) =>
        StoreKeys.Endpoints((await bed.Etcd!.EtcdctlAsync("get", "--prefix", "--keys-only", StoreKeys.Root)).EnsureSuccess().StdOut);

    private static string[] Settings(SimHost host, Testbed.Testbed bed) =>
        ["DNP_STORE=" + bed.Etcd!.StoreUri, "DNP_ADVERTISE_ADDR=" + host.UnderlayIp, .. MountSettings(host, bed)];

    /// <summary>Where this host's dockerd listens, and its shared directory for the overlay namespaces.</summary>
    private static string[] MountSettings(SimHost host, Testbed.Testbed bed) =>
        ["docker-socket.source=" + host.DockerSocket, "netns.source=" + NetnsDir(bed, host)];

    /// <summary>A directory that is a shared mount point in the host, what <c>/run/netns</c> is on a systemd host.</summary>
    private static string NetnsDir(Testbed.Testbed bed, SimHost host) => Path.Combine(bed.RunDirectory, host.Name, "managed-netns");

    /// <summary><c>make plugin-push</c> against <paramref name="host"/>'s dockerd, without rebuilding plugin/ (make test built it).</summary>
    private static async Task PushAsync(Testbed.Testbed bed, SimHost host, string reference, string bundle)
    {
        var repository = Path.GetDirectoryName(PluginBundle.Directory)!;
        var psi = new ProcessStartInfo("make", ["-C", repository, "--no-print-directory", "-o", "plugin", "plugin-push",
            "PLUGIN_REF=" + reference, "PLUGIN_DIR=" + bundle, $"DOCKER={Testbed.Testbed.DockerClientPath} -H {host.DockerHost}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["DOCKER_CONFIG"] = Path.Combine(bed.RunDirectory, "docker-config");
        using var make = Process.Start(psi) ?? throw new InvalidOperationException("cannot start make");
        var output = await Task.WhenAll(make.StandardOutput.ReadToEndAsync(), make.StandardError.ReadToEndAsync());
        await make.WaitForExitAsync();
        Assert.True(make.ExitCode == 0, $"make plugin-push PLUGIN_REF={reference}: {string.Concat(output)}");
    }

    private static async Task<string> IpOfAsync(SimHost host, string container) =>
        (await Docker(host, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + Network + "\").IPAddress}}", container)).EnsureSuccess().StdOut.Trim();

    private static Task<CommandResult> Docker(SimHost host, params string[] args) => host.DockerAsync(args, CancellationToken.None, s_docker);

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) packets received")]
    private static partial Regex PingSummary();
}
