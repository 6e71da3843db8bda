using System.Diagnostics;

namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>
/// The build dnp shipped before NativeAOT, made in the same run for comparison: <c>make publish-r2r</c> (trimmed,
/// self-contained, ReadyToRun single file) and a plugin bundle around it from the same <c>plugin/make-rootfs.sh</c>
/// and <c>config.json</c>, in a temporary directory removed on dispose.
/// </summary>
internal sealed class ReadyToRunBuild : IDisposable
{
    private readonly string _dir;

    private ReadyToRunBuild(string dir, Contender contender)
    {
        _dir = dir;
        Contender = contender;
    }

    public Contender Contender { get; }

    public static async Task<ReadyToRunBuild> MakeAsync(string root, CancellationToken ct)
    {
        Console.WriteLine("  building the ReadyToRun single file for comparison (make publish-r2r)");
        await RunAsync(ct, "make", "-C", root, "--no-print-directory", "publish-r2r");
        var executable = Path.Combine(root, "bin", "linux-x64-r2r", "dnp");
        var dir = Directory.CreateTempSubdirectory("dnpb-r2r-").FullName;
        try
        {
            await RunAsync(ct, Path.Combine(root, "plugin", "make-rootfs.sh"), executable, Path.Combine(dir, "rootfs"));
            File.Copy(Path.Combine(root, "config.json"), Path.Combine(dir, "config.json"));
            return new ReadyToRunBuild(dir, new Contender("ReadyToRun single file (trimmed, self-contained; shipped before)", executable, dir));
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task RunAsync(CancellationToken ct, string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start " + program);
        var output = await Task.WhenAll(process.StandardOutput.ReadToEndAsync(ct), process.StandardError.ReadToEndAsync(ct));
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{string.Concat(output)}");
    }
}
