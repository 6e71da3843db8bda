using System.Text.Json;
using DockerNetPlugin.Fuzzer;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// Issue 6, hostile input: the fuzzer sends 20,000 structured and mutated requests to the real plugin in a simulated
/// host with a real dockerd. Afterwards the plugin still runs and answers, every reply was valid, what the fuzzer
/// made is gone (kernel, status, store), and Docker can still build a network whose containers reach each other.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(FuzzHostCollection.Name)]
public sealed class PluginApiFuzzTests(FuzzHostFixture fixture, ITestOutputHelper output)
{
    public const int Requests = 20_000;
    public const int Seed = 6;

    private readonly HostScenario _h = new(fixture.Host);

    [Fact]
    public async Task Fuzz20000Requests_PluginSurvivesAnswersValidlyAndLeavesNothing()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var report = await PluginFuzzer.RunAsync(new FuzzOptions { Socket = fixture.Host.PluginSocketPath, Count = Requests, Seed = Seed, Parallel = 4 }, limit.Token);
        output.WriteLine(report.ToText());

        Assert.Null(report.Aborted);
        Assert.True(fixture.Host.IsProcessRunning(SimHost.PluginProcessName), "the plugin process died during the fuzz");
        Assert.True(report.AliveAtEnd, "the plugin no longer answers /Plugin.Activate");
        Assert.Equal(Requests, report.Sent);
        Assert.True(report.FindingCount == 0, $"{report.FindingCount} invalid replies:\n{string.Join('\n', report.Findings.Take(10))}");
        Assert.Empty(report.Leaks);
        await AssertNothingLeftAsync("after the fuzzer's closing phase");

        var id = await _h.CreateNetworkAsync("fuzz-after", "--subnet", "10.99.0.0/24");
        try
        {
            await _h.RunAsync("fz-a", "fuzz-after");
            await _h.RunAsync("fz-b", "fuzz-after");
            var ping = await _h.PingAsync("fz-a", await _h.IpOfAsync("fz-b", "fuzz-after"));
            Assert.True(ping.Succeeded, "two containers on a dnp network must still reach each other after the fuzz: " + ping);
        }
        finally
        {
            await _h.RemoveAsync(["fz-a", "fz-b"], "fuzz-after");
        }
        Assert.False(File.Exists(_h.OverlayPath(id)));
        await AssertNothingLeftAsync("after the docker network was removed");

        await fixture.Host.StopPluginAsync(kill9: true); // lease-bound records stay on disk and are counted
        var records = await StoreLeftovers.ListAsync(fixture.StoreDirectories, CancellationToken.None);
        await fixture.Host.StartPluginAsync(fixture.Bed.Options.PluginBinaryPath ?? PluginBinary.Path);
        Assert.True(records.Count == 0, "store records left:\n" + string.Join('\n', records));
    }

    private async Task AssertNothingLeftAsync(string when)
    {
        var namespaces = Directory.GetFiles(fixture.Host.NetnsDir);
        Assert.True(namespaces.Length == 0, $"overlay namespaces left {when}: {string.Join(", ", namespaces)}");
        var devices = await DnpDevicesInHostAsync();
        Assert.True(devices.Length == 0, $"dnp devices left in the host namespace {when}: {string.Join(", ", devices)}");
        var status = (await fixture.Host.ExecAsync(PluginBinary.Path, "status", "--json")).EnsureSuccess().StdOut;
        using var json = JsonDocument.Parse(status);
        Assert.True(json.RootElement.GetProperty("networks").GetArrayLength() == 0, $"dnp status lists networks {when}: {status}");
    }

    /// <summary>
    /// Devices named as src/DockerNetPlugin.Driver/DeviceNames.cs names them, in the host namespace: container ends
    /// (<c>dnpc…</c>), vxlans not yet moved (<c>vx-…</c>), and br0, vxlan0 or an overlay veth end (<c>veth</c> + 11) that
    /// should only ever live inside an overlay namespace. Docker's own veths have 7 characters after <c>veth</c>.
    /// </summary>
    private async Task<string[]> DnpDevicesInHostAsync()
    {
        var links = (await fixture.Host.ExecAsync("ip", "-o", "link", "show")).EnsureSuccess().StdOut;
        return links.Split('\n').Select(l => l.Split(':', 3)).Where(p => p.Length > 1).Select(p => p[1].Trim().Split('@')[0])
            .Where(n => n.StartsWith("dnpc", StringComparison.Ordinal) || n.StartsWith("vx-", StringComparison.Ordinal)
                || n is "br0" or "vxlan0" || (n.StartsWith("veth", StringComparison.Ordinal) && n.Length == 15))
            .ToArray();
    }
}
