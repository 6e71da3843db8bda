using System.Diagnostics;

namespace DockerNetPlugin.Integration.Tests.Layout;

/// <summary>
/// The <c>dnp</c> of the previous release (commit <see cref="Commit"/>, the legacy key layout only), which the
/// rolling-upgrade test runs beside this one: DNP_TEST_PREVIOUS_BINARY, else what <c>make prev-release</c> (run by
/// <c>make deps-test</c>) built into the release cache; when that is missing it runs <c>make prev-release</c> itself.
/// </summary>
internal static class PreviousRelease
{
    public const string Commit = "3eb4a2b";

    private static readonly SemaphoreSlim s_build = new(1, 1);

    public static async Task<string> PathAsync()
    {
        if (Environment.GetEnvironmentVariable("DNP_TEST_PREVIOUS_BINARY") is { Length: > 0 } given)
            return File.Exists(given) ? given : throw new InvalidOperationException($"DNP_TEST_PREVIOUS_BINARY={given} does not exist");
        var cache = Environment.GetEnvironmentVariable("RELEASE_CACHE") is { Length: > 0 } c ? c : "/var/cache/dnp-test/releases";
        var binary = System.IO.Path.Combine(cache, Commit, "bin", "dnp");
        await s_build.WaitAsync();
        try
        {
            if (File.Exists(binary))
                return binary;
            var repository = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(PluginBinary.Path))!;
            var make = new ProcessStartInfo("make", ["-C", repository, "--no-print-directory", "prev-release", $"RELEASE_CACHE={cache}"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(make)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(binary))
                throw new InvalidOperationException($"the previous release {Commit} could not be built (make prev-release, exit {process.ExitCode}): {await stderr}{await stdout}");
            return binary;
        }
        finally
        {
            s_build.Release();
        }
    }
}
