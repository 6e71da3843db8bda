namespace DockerNetPlugin.Driver.Model;

/// <summary>
/// The names Docker gives one endpoint (learned from the Engine API after Join): its container, the container's name,
/// and the other names Docker's own resolver answers for it on that network (network aliases, Compose service names,
/// and on older engines the short container ID and hostname). Published with the endpoint record so every host's
/// resolver answers them. Compared by value.
/// </summary>
/// <param name="ContainerId">The full container ID (tells the asker's other networks apart from strangers).</param>
/// <param name="ContainerName">The container name, without Docker's leading slash.</param>
/// <param name="Aliases">The other names, in Docker's order, without the container name.</param>
public sealed record EndpointNames(string ContainerId, string ContainerName, IReadOnlyList<string> Aliases)
{
    public bool Equals(EndpointNames? other) =>
        other is not null
        && string.Equals(ContainerId, other.ContainerId, StringComparison.Ordinal)
        && string.Equals(ContainerName, other.ContainerName, StringComparison.Ordinal)
        && (Aliases ?? []).SequenceEqual(other.Aliases ?? [], StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(ContainerId, ContainerName, (Aliases ?? []).Count);

    /// <summary>Names known before Docker could be asked (Docker 29's RequestAddress): the container name only, no container ID yet.</summary>
    public static EndpointNames Provisional(string containerName) => new("", containerName, []);

    /// <summary>True until the names were learned from the Engine API (no container ID yet).</summary>
    public bool IsProvisional => string.IsNullOrEmpty(ContainerId);

    /// <summary>Every name, container name first.</summary>
    public IEnumerable<string> All() => (Aliases ?? []).Prepend(ContainerName);

    public override string ToString() => $"{ContainerName} [{string.Join(", ", Aliases ?? [])}]";
}
