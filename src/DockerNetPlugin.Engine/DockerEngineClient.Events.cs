using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace DockerNetPlugin.Engine;

public sealed partial class DockerEngineClient
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<DockerEvent> StreamEventsAsync(EventFilter filter, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new List<string>();
        var filters = FiltersQuery(filter.ToFilters());
        if (filters.Length > 0)
        {
            query.Add(filters);
        }

        if (since is { } start)
        {
            query.Add("since=" + start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        var path = "events" + (query.Count == 0 ? "" : "?" + string.Join('&', query));

        // Only connecting and the response headers are bounded by the request timeout; the body is endless.
        HttpResponseMessage response;
        using (var headerTimeout = StartTimeout(cancellationToken))
        {
            response = await SendApiAsync(HttpMethod.Get, path, null, null, headerTimeout.Token, cancellationToken).ConfigureAwait(false);
        }

        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }

                    DockerEvent? ev;
                    try
                    {
                        ev = JsonSerializer.Deserialize(line, EngineJsonContext.Default.DockerEvent);
                    }
                    catch (JsonException ex)
                    {
                        throw new DockerEngineException($"Docker at {Endpoint} sent an event line that is not JSON: {ex.Message}", ex);
                    }

                    if (ev is not null)
                    {
                        yield return ev;
                    }
                }
            }
        }
    }
}
