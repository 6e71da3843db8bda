namespace DockerNetPlugin.Dns.Tests;

/// <summary>
/// A fact that runs the real <c>dig</c> (Debian bind9-dnsutils, installed by <c>make deps-test</c>). Skipped only on a
/// developer machine without it; under CI=true it always runs, so a missing tool fails the run instead of hiding it.
/// </summary>
public sealed class DigFactAttribute : FactAttribute
{
    public DigFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && DigPath is null)
        {
            Skip = "needs dig from bind9-dnsutils (make deps-test installs it; runs always under CI=true)";
        }
    }

    /// <summary>The dig binary on PATH, or null.</summary>
    public static string? DigPath =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, "dig"))
            .FirstOrDefault(File.Exists);
}
