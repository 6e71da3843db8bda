using System.Net;

namespace DockerNetPlugin.Engine;

public sealed partial class DockerEngineClient
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<DockerNetwork>> ListNetworksAsync(IReadOnlyDictionary<string, string[]>? filters, CancellationToken cancellationToken)
    {
        var query = FiltersQuery(filters);
        var path = query.Length == 0 ? "networks" : "networks?" + query;
        return await GetJsonAsync(path, EngineJsonContext.Default.ListDockerNetwork, nullOnNotFound: false, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <inheritdoc/>
    public Task<DockerNetwork?> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken) =>
        GetJsonAsync("networks/" + Escape(idOrName), EngineJsonContext.Default.DockerNetwork, nullOnNotFound: true, cancellationToken);

    /// <inheritdoc/>
    public async Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Name, nameof(request));
        using var timeout = StartTimeout(cancellationToken);
        using var content = JsonContent(request, EngineJsonContext.Default.NetworkCreateRequest);
        using var response = await SendApiAsync(HttpMethod.Post, "networks/create", content, null, timeout.Token, cancellationToken).ConfigureAwait(false);
        var created = await ReadJsonAsync(response, EngineJsonContext.Default.NetworkCreateResponse, timeout.Token).ConfigureAwait(false);
        return created.Id;
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        using var response = await SendApiAsync(HttpMethod.Delete, "networks/" + Escape(idOrName), null, HttpStatusCode.NotFound, timeout.Token, cancellationToken).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }
}
