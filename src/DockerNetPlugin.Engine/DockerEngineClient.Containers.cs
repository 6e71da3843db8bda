namespace DockerNetPlugin.Engine;

public sealed partial class DockerEngineClient
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<DockerContainer>> ListContainersAsync(bool all, IReadOnlyDictionary<string, string[]>? filters, CancellationToken cancellationToken)
    {
        var query = FiltersQuery(filters);
        var path = "containers/json?all=" + (all ? "true" : "false") + (query.Length == 0 ? "" : "&" + query);
        return await GetJsonAsync(path, EngineJsonContext.Default.ListDockerContainer, nullOnNotFound: false, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <inheritdoc/>
    public Task<ContainerInspect?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken) =>
        GetJsonAsync("containers/" + Escape(idOrName) + "/json", EngineJsonContext.Default.ContainerInspect, nullOnNotFound: true, cancellationToken);
}
