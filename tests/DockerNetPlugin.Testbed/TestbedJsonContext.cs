using System.Text.Json.Serialization;

namespace DockerNetPlugin.Testbed;

/// <summary>What the test bed reads as JSON.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class TestbedJsonContext : JsonSerializerContext;
