namespace DockerNetPlugin.Integration.Tests;

/// <summary>The <c>bin/dnp</c> that <c>make build</c> produced in this repository.</summary>
internal static class PluginBinary
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "DockerNetPlugin.sln")))
            dir = dir.Parent;
        return dir is null ? "bin/dnp" : System.IO.Path.Combine(dir.FullName, "bin", "dnp");
    }
}
