using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DockerNetPlugin.Host.Tests;

/// <summary>
/// STYLE.md 7.1's dependency table, read from the .csproj files: which of our projects each project may reference.
/// A new project fails here until it is given a row (and STYLE.md says why).
/// </summary>
public sealed partial class DependencyRulesTests
{
    private static readonly Dictionary<string, string[]> s_mayReference = new(StringComparer.Ordinal)
    {
        ["Interop"] = [],
        ["Protocol"] = [],
        ["Contract"] = [],
        ["Engine"] = [],
        ["Dns"] = [], // the embedded resolver: wire codec and server, fed names by its host
        ["Netlink"] = ["Interop"],
        ["Store"] = ["Interop"],
        ["Ipam"] = ["Store"],
        ["Driver"] = ["Netlink", "Store"],
        ["Replication"] = ["Driver", "Engine", "Store", "Dns"], // networks and names across hosts (the resolvers answer from Dns's table)
        ["Host"] = ["Protocol", "Contract", "Driver", "Replication", "Ipam", "Engine", "Store"],
        // Host only for `dnp serve`, and only from ServeCommand.cs (see CliNamesHostOnlyInServeCommand).
        ["Cli"] = ["Contract", "Protocol", "Engine", "Store", "Netlink", "Host"],
    };

    public static TheoryData<string> Projects() => [.. Directory.GetDirectories(Repository.Src, "DockerNetPlugin.*").Select(d => Path.GetFileName(d)["DockerNetPlugin.".Length..])];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_ReferencesOnlyWhatTheTableAllows(string project)
    {
        Assert.True(s_mayReference.TryGetValue(project, out var allowed), $"src/DockerNetPlugin.{project} has no row in the dependency table (STYLE.md 7.1 and this test)");
        var csproj = Path.Combine(Repository.Src, $"DockerNetPlugin.{project}", $"DockerNetPlugin.{project}.csproj");
        var references = XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)["DockerNetPlugin.".Length..]).ToList();

        var forbidden = references.Except(allowed).ToList();
        Assert.True(forbidden.Count == 0, $"DockerNetPlugin.{project} references {string.Join(", ", forbidden)}; it may reference only: {(allowed.Length == 0 ? "nothing of ours" : string.Join(", ", allowed))}");
    }

    [Fact]
    public void Cli_NamesHostOnlyInServeCommand_AndNeverDriverTypes()
    {
        var cli = Path.Combine(Repository.Src, "DockerNetPlugin.Cli");
        var offenders = new List<string>();
        foreach (var file in Directory.GetFiles(cli, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(cli, file);
            if (HostNamespace().IsMatch(text) && name != "ServeCommand.cs")
                offenders.Add($"{name} uses DockerNetPlugin.Host (only ServeCommand.cs may: the operator API's types are in Contract)");
            if (ServerSideNamespace().IsMatch(text))
                offenders.Add($"{name} uses a server-side namespace (Driver, Ipam or Replication)");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void LogEventIds_EachUsedByOneLogClassOnly()
    {
        var owners = new Dictionary<int, HashSet<string>>();
        foreach (var file in Directory.GetFiles(Repository.Src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            foreach (Match m in EventId().Matches(File.ReadAllText(file)))
            {
                var id = int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (!owners.TryGetValue(id, out var files))
                    owners[id] = files = new HashSet<string>(StringComparer.Ordinal);
                files.Add(Path.GetRelativePath(Repository.Src, file));
            }
        }
        Assert.NotEmpty(owners);
        var shared = owners.Where(o => o.Value.Count > 1).Select(o => $"{o.Key}: {string.Join(", ", o.Value)}").ToList();
        Assert.True(shared.Count == 0, "event ids used by more than one log class:\n" + string.Join("\n", shared));
    }

    [GeneratedRegex(@"\bDockerNetPlugin\.Host\b")]
    private static partial Regex HostNamespace();

    [GeneratedRegex(@"\bDockerNetPlugin\.(Driver|Ipam|Replication)\b")]
    private static partial Regex ServerSideNamespace();

    [GeneratedRegex(@"\[LoggerMessage\((?:EventId\s*=\s*)?(?<id>\d+)")]
    private static partial Regex EventId();
}
