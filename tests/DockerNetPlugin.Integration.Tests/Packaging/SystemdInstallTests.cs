using System.Diagnostics;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// Legacy mode without systemd: <c>make install DESTDIR=…</c> stages the self-contained dnp, the unit and the
/// settings file; the unit's own command line, with its environment, then serves a real dockerd as driver <c>dnp</c>.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SystemdInstallTests
{
    [Fact]
    public async Task MakeInstall_Destdir_StagesUnitWhoseCommandServesDocker()
    {
        var repository = Path.GetDirectoryName(PluginBundle.Directory)!;
        var stage = Directory.CreateTempSubdirectory("dnpt-install-").FullName;
        try
        {
            var (exitCode, output) = await MakeAsync(repository, "install-files", "DESTDIR=" + stage, "PREFIX=/usr");
            var unit = await File.ReadAllLinesAsync(Path.Combine(stage, "etc", "systemd", "system", "dnp.service"));
            var envFile = new FileInfo(Path.Combine(stage, "etc", "default", "dnp"));

            Assert.True(exitCode == 0, "make install-files: " + output);
            Assert.Contains("ExecStart=/usr/bin/dnp serve", unit);
            Assert.Contains("Type=notify", unit); // READY=1 once driver and IPAM run: SystemdNotifyTests
            Assert.Contains("EnvironmentFile=-/etc/default/dnp", unit);
            Assert.Contains("Environment=DNP_SOCKET=/run/docker/plugins/dnp.sock", unit);
            Assert.True(envFile.Exists);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, envFile.UnixFileMode);

            var execStart = unit.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ');
            var environment = unit.Where(l => l.StartsWith("Environment=", StringComparison.Ordinal))
                .Select(l => l["Environment=".Length..].Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            await using var bed = await Testbed.Testbed.StartAsync(new TestbedOptions { HostCount = 1, StartInternet = false });
            var host = new HostScenario(bed.Hosts[0]);
            Assert.Equal("serve", execStart[1]);
            await bed.Hosts[0].StartPluginAsync(stage + execStart[0], environment);
            await host.CreateNetworkAsync("staged", "--subnet", "10.44.0.0/24");
            await host.RunAsync("staged-1", "staged");
            var ping = await host.PingAsync("staged-1", "10.44.0.1");
            await host.RemoveAsync(["staged-1"], "staged");

            Assert.True(ping.Succeeded, "the installed dnp serves dockerd as driver dnp: " + ping);
        }
        finally
        {
            Directory.Delete(stage, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> MakeAsync(string repository, params string[] args)
    {
        var psi = new ProcessStartInfo("make", ["-C", repository, "--no-print-directory", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var make = Process.Start(psi) ?? throw new InvalidOperationException("cannot start make");
        var output = await Task.WhenAll(make.StandardOutput.ReadToEndAsync(), make.StandardError.ReadToEndAsync());
        await make.WaitForExitAsync();
        return (make.ExitCode, string.Concat(output));
    }
}
