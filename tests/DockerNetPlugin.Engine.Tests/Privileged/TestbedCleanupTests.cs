using System.Diagnostics;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Engine.Tests.Privileged;

[Trait("Category", "Privileged")]
public sealed class TestbedCleanupTests
{
    [Fact]
    public async Task DisposeAsync_AfterContainersRan_LeavesNoNamespaceLinkMountProcessOrRule()
    {
        var rulesBefore = await Run("iptables-save");
        var bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartEtcd = true });
        var prefix = bed.Prefix;
        try
        {
            (await bed.Hosts[0].DockerAsync("run", "-d", Testbed.Testbed.ImageName, "sleep", "300")).EnsureSuccess();
        }
        finally
        {
            await bed.DisposeAsync();
        }

        Assert.DoesNotContain(prefix, await Run("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.DoesNotContain(prefix, await Run("ip", "link"), StringComparison.Ordinal);
        Assert.DoesNotContain(prefix, await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.DoesNotContain(prefix, await Run("ps", "-eo", "args"), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories("/sys/fs/cgroup/pids", prefix + "*"));
        Assert.False(Directory.Exists(bed.RunDirectory));
        Assert.Equal(StripComments(rulesBefore), StripComments(await Run("iptables-save")));
    }

    [Fact]
    public async Task CleanupStale_CrashedRunWithProcessInItsNamespace_RemovesEverything()
    {
        const string Prefix = "dnptdead1";
        var runDir = Path.Combine(Testbed.Testbed.RunsRoot, Prefix);
        Directory.CreateDirectory(runDir);
        await File.WriteAllTextAsync(Path.Combine(runDir, "owner"), "999999999 1"); // no such process
        await Run("ip", "netns", "add", Prefix + "-h1");
        using var orphan = Process.Start("nsenter", ["--net=/run/netns/" + Prefix + "-h1", "sleep", "300"]);

        var removed = Testbed.Testbed.CleanupStale();

        Assert.Contains(Prefix, removed);
        Assert.True(orphan.WaitForExit(10_000));
        Assert.DoesNotContain(Prefix, await Run("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir));
    }

    private static string StripComments(string rules) =>
        string.Join('\n', rules.Split('\n').Where(l => !l.StartsWith('#')));

    private static async Task<string> Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }
}
