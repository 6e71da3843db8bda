namespace DockerNetPlugin.Benchmarks.Footprint;

/// <summary>One way of shipping dnp: its executable, the managed-plugin bundle around it (config.json + rootfs/).</summary>
internal sealed record Contender(string Label, string Executable, string Bundle)
{
    public string Rootfs => Path.Combine(Bundle, "rootfs");
}
