using System.Diagnostics;
using System.Globalization;
using System.Net;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>
/// Debian's <c>docker-registry</c> (distribution 2.8) serving plain HTTP on the bed's fabric router address, port 5000,
/// inside the fabric namespace, storing under the bed's run directory. Every host's dockerd must list
/// <see cref="Address"/> as an insecure registry. Disposing stops the process (the bed removes its files).
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    public const int Port = 5000;
    private readonly Process _process;

    private LocalRegistry(string address, Process process)
    {
        Address = address;
        _process = process;
    }

    /// <summary><c>IP:5000</c>, the registry part of a plugin reference.</summary>
    public string Address { get; }

    /// <summary>The address a bed whose underlay is 192.168.<paramref name="underlayThirdOctet"/>.0/24 serves the registry on (its router).</summary>
    public static string AddressFor(int underlayThirdOctet) => string.Create(CultureInfo.InvariantCulture, $"192.168.{underlayThirdOctet}.1:{Port}");

    public static async Task<LocalRegistry> StartAsync(Testbed.Testbed bed, IPAddress listen)
    {
        if (!File.Exists("/usr/bin/docker-registry"))
            throw new InvalidOperationException("docker-registry is missing: install the Debian package docker-registry (make deps-test)");
        var address = string.Create(CultureInfo.InvariantCulture, $"{listen}:{Port}");
        var dir = Directory.CreateDirectory(Path.Combine(bed.RunDirectory, "registry")).FullName;
        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
            http:
              addr: {address}
            """);
        var psi = new ProcessStartInfo("nsenter", ["--net=/run/netns/" + bed.FabricNetns, "docker-registry", "serve", config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start docker-registry");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(address, process);
        try
        {
            var up = await Eventually.HoldsAsync(async () =>
                    !process.HasExited && (await bed.InFabricAsync(["/bin/busybox", "wget", "-q", "-O-", $"http://{address}/v2/"])).Succeeded,
                TimeSpan.FromSeconds(30));
            if (!up)
                throw new InvalidOperationException($"docker-registry did not answer on {address} (exited: {process.HasExited})");
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
