using System.Text.Json.Serialization;

namespace DockerNetPlugin.Cli.Kernel;

/// <summary>
/// A network namespace the CLI looks into: <c>host</c> (its own), <c>overlay</c> (a dnp-… namespace of the plugin) or
/// <c>docker</c> (a container sandbox, with the container's name when Docker could tell). <c>Path</c> works with <c>nsenter --net=</c>.
/// </summary>
internal sealed record NamespaceView(string Kind, string Name, string Path, string? Container)
{
    public const string HostKind = "host";
    public const string OverlayKind = "overlay";
    public const string DockerKind = "docker";

    /// <summary>How a table names it: <c>host</c>, <c>dnp-web</c>, <c>docker:web-1</c>.</summary>
    [JsonIgnore]
    public string Label => Kind == DockerKind ? "docker:" + (Container ?? Cell.Short(Name)) : Name;
}
