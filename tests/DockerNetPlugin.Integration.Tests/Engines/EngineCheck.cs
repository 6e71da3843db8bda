using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Engines;

/// <summary>Proof that a bed runs the engine it was asked for, as its daemon reports it (<c>GET /version</c>).</summary>
internal static class EngineCheck
{
    /// <summary>Asserts h1's dockerd is of <see cref="Testbed.Testbed.Engine"/>'s line (20.10.x, 26.x, 28.x) and prints its version.</summary>
    public static void AssertRunsSelectedEngine(Testbed.Testbed bed, ITestOutputHelper output)
    {
        output.WriteLine($"engine {bed.Engine.Name}: dockerd {bed.EngineVersion}");
        Assert.StartsWith(bed.Engine.Name + ".", bed.EngineVersion, StringComparison.Ordinal);
    }
}
