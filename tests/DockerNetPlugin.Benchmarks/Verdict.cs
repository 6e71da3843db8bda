namespace DockerNetPlugin.Benchmarks;

/// <summary>How a section states a target's outcome.</summary>
internal static class Verdict
{
    internal static string Of(bool met) => met ? "**met**" : "**NOT met**";
}
