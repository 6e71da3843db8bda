namespace DockerNetPlugin.Benchmarks;

/// <summary>The repository the benchmarks run from: where BENCHMARKS.md and the plugin binary (<c>make build</c> → <c>bin/dnp</c>) live.</summary>
internal static class RepositoryRoot
{
    internal static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DockerNetPlugin.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run from inside the repository (no DockerNetPlugin.sln above the current directory), or pass --output PATH");
    }

    /// <summary>
    /// <c>DNP_TEST_BINARY</c> if set (as the test bed honours it: measure another build, e.g. the one before a change),
    /// else <c>bin/dnp</c>; throws when it does not exist (<c>make build</c> has not produced it).
    /// </summary>
    internal static string PluginBinary()
    {
        var path = Environment.GetEnvironmentVariable("DNP_TEST_BINARY") is { Length: > 0 } fromEnv ? fromEnv : Path.Combine(Find(), "bin", "dnp");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run `make build` (make bench does it)");
    }
}
