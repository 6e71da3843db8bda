using System.Text.Json.Serialization;
using DockerNetPlugin.Cli.Kernel;

namespace DockerNetPlugin.Cli;

/// <summary>JSON of the kernel-side verbs (<c>dnp links</c>, <c>dnp netns</c>), camel case like the operator API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LinksReport))]
[JsonSerializable(typeof(NetnsReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
