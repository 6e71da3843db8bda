namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>The fuzz run and the regression cases of its findings share one simulated host, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzHostCollection : ICollectionFixture<FuzzHostFixture>
{
    public const string Name = "fuzz host";
}
