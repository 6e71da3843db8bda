using System.Text.Json;

namespace DockerNetPlugin.Fuzzer;

/// <summary>One network of <c>GET /dnp/v1/status</c>.</summary>
public sealed record StatusNetwork(string DockerNetworkId, string LogicalId, string Sandbox);

/// <summary>Reads the plugin's status API (the one <c>dnp status --json</c> prints).</summary>
internal static class StatusProbe
{
    /// <summary>The networks the plugin knows, or null with the reason when the status cannot be read.</summary>
    public static async Task<(IReadOnlyList<StatusNetwork>? Networks, string? Problem)> NetworksAsync(PluginClient client, CancellationToken ct)
    {
        var reply = await client.SendAsync(HttpMethod.Get, PluginApi.Status, [], ct).ConfigureAwait(false);
        if (!reply.Answered || reply.Status != 200)
            return (null, $"status: {(reply.Answered ? $"HTTP {reply.Status} {Excerpt.Of(reply.Body, 200)}" : reply.TransportError)}");
        try
        {
            using var doc = JsonDocument.Parse(reply.Body);
            if (!ReplyJson.TryGet(doc.RootElement, "networks", out var list) || list.ValueKind != JsonValueKind.Array)
                return (null, "status has no networks list");
            return (list.EnumerateArray().Select(n => new StatusNetwork(
                ReplyJson.String(n, "dockerNetworkId") ?? "?", ReplyJson.String(n, "logicalId") ?? "?", ReplyJson.String(n, "sandbox") ?? "?")).ToList(), null);
        }
        catch (JsonException e)
        {
            return (null, $"status is not JSON: {e.Message}");
        }
    }

    /// <summary>Broken invariants: two logical networks sharing one overlay namespace would share br0 and vxlan0.</summary>
    public static IEnumerable<string> Violations(IReadOnlyList<StatusNetwork> networks) =>
        networks.GroupBy(n => n.Sandbox, StringComparer.Ordinal)
            .Where(g => g.Select(n => n.LogicalId).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => $"logical networks {string.Join(", ", g.Select(n => n.LogicalId).Distinct(StringComparer.Ordinal).Select(id => Excerpt.Of(id, 40)))} share overlay namespace {g.Key}");
}
