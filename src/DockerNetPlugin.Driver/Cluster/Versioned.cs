namespace DockerNetPlugin.Driver.Cluster;

/// <summary>A value read from the store together with the version a compare-and-set needs.</summary>
public sealed record Versioned<T>(T Value, ulong Version);
