namespace DockerNetPlugin.Host.Tests;

/// <summary>The repository this test runs from (the folder holding DockerNetPlugin.sln).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DockerNetPlugin.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("DockerNetPlugin.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Src => Path.Combine(Root, "src");
}
