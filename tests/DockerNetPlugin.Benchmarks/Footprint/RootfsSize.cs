namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>Bytes in a plugin rootfs: the executable, the shared libraries (<c>*.so*</c>) and everything (symlinks not counted).</summary>
internal sealed record RootfsSize(long Executable, long Libraries, int LibraryCount, long Total, int Files)
{
    public static RootfsSize Measure(string rootfs)
    {
        var files = Directory.EnumerateFiles(rootfs, "*", SearchOption.AllDirectories)
            .Select(p => new FileInfo(p))
            .Where(f => f.LinkTarget is null)
            .ToList();
        var libraries = files.Where(f => f.Name.Contains(".so", StringComparison.Ordinal)).ToList();
        var executable = new FileInfo(Path.Combine(rootfs, "usr", "bin", "dnp")).Length;
        return new RootfsSize(executable, libraries.Sum(f => f.Length), libraries.Count, files.Sum(f => f.Length), files.Count);
    }
}
