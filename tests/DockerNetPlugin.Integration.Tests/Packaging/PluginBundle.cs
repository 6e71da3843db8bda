namespace DockerNetPlugin.Integration.Tests.Packaging;

/// <summary>The <c>plugin/</c> folder <c>make plugin</c> builds (config.json + rootfs/), which <c>make test</c> builds first.</summary>
internal static class PluginBundle
{
    public static string Directory { get; } = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(PluginBinary.Path)!)!, "plugin");

    /// <summary>The bundle's directory, or an exception telling to run <c>make plugin</c>.</summary>
    public static string Require()
    {
        if (!File.Exists(Path.Combine(Directory, "config.json")) || !File.Exists(Path.Combine(Directory, "rootfs", "usr", "bin", "dnp")))
            throw new InvalidOperationException($"{Directory} holds no plugin bundle: run `make plugin` (make test does it first)");
        return Directory;
    }
}
