namespace DockerNetPlugin.Integration.Tests.Names;

/// <summary>The names tests that share one bed (<see cref="NamesBedFixture"/>); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class NamesCollection : ICollectionFixture<NamesBedFixture>
{
    public const string Name = "names";
}
