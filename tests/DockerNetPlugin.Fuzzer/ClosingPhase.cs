using System.Globalization;
using System.Text.Json.Nodes;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Deletes everything the ledger says the fuzz made, in Docker's teardown order, then checks that the plugin is
/// empty again: no networks in its status, and none of the pools answering a RequestAddress. Every clean-up call
/// names something that was created, so it must succeed.
/// </summary>
internal sealed class ClosingPhase(PluginClient client, ObjectLedger ledger, FuzzStats stats)
{
    private int _sent;

    public int Sent => _sent;

    /// <summary>Runs the clean-up; returns the leaks.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken ct)
    {
        foreach (var (network, endpoint) in ledger.Endpoints)
        {
            await SendAsync(PluginApi.Leave, RequestBodies.Endpoint(network, endpoint), ct).ConfigureAwait(false);
            await SendAsync(PluginApi.DeleteEndpoint, RequestBodies.Endpoint(network, endpoint), ct).ConfigureAwait(false);
        }
        foreach (var network in ledger.Networks)
            await SendAsync(PluginApi.DeleteNetwork, RequestBodies.NetworkOnly(network), ct).ConfigureAwait(false);
        foreach (var (pool, address) in ledger.Addresses)
            await SendAsync(PluginApi.ReleaseAddress, RequestBodies.ReleaseAddress(pool, address.Split('/')[0]), ct).ConfigureAwait(false);
        foreach (var (pool, holds) in ledger.PoolHolds)
        {
            for (var i = 0; i < holds; i++)
                await SendAsync(PluginApi.ReleasePool, RequestBodies.ReleasePool(pool), ct).ConfigureAwait(false);
        }
        return await FindLeaksAsync(ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> FindLeaksAsync(CancellationToken ct)
    {
        var leaks = new List<string>();
        var (networks, problem) = await StatusProbe.NetworksAsync(client, ct).ConfigureAwait(false);
        if (problem is not null)
            leaks.Add(problem);
        leaks.AddRange((networks ?? []).Select(n => $"network {n.DockerNetworkId} (logical {n.LogicalId}, namespace {n.Sandbox}) is still known to the plugin"));

        // A released pool answers "does not exist"; one that still exists hands out an address (given back at once).
        foreach (var poolId in ledger.PoolHolds.Select(p => p.PoolId).DistinctBy(CidrOf, StringComparer.Ordinal))
        {
            var reply = await client.PostAsync(PluginApi.RequestAddress, RequestBodies.Bytes(RequestBodies.RequestAddress(poolId, string.Empty, new JsonObject())), ct).ConfigureAwait(false);
            _sent++;
            var verdict = ReplyValidator.Judge(new FuzzRequest(PluginApi.RequestAddress, [], RequestOrigin.Closing, "pool probe"), reply);
            if (verdict.Outcome == Outcome.Error && verdict.Problem!.Contains("does not exist", StringComparison.Ordinal))
                continue;
            leaks.Add($"pool {CidrOf(poolId)} still exists after every hold was released ({verdict.Outcome}: {verdict.Problem ?? reply.BodyText})");
            if (verdict.Outcome == Outcome.Success && ReplyJson.String(verdict.Root!.Value, "Address") is { } address)
                await SendAsync(PluginApi.ReleaseAddress, RequestBodies.ReleaseAddress(poolId, address.Split('/')[0]), ct).ConfigureAwait(false);
        }
        return leaks;
    }

    private async Task SendAsync(string path, JsonObject body, CancellationToken ct)
    {
        var request = new FuzzRequest(path, RequestBodies.Bytes(body), RequestOrigin.Closing, "clean-up");
        var reply = await client.PostAsync(path, request.Body, ct).ConfigureAwait(false);
        var verdict = ReplyValidator.Judge(request, reply);
        if (verdict.Outcome == Outcome.Error)
            verdict = Verdict.Finding($"clean-up of something the fuzz created was refused: {verdict.Problem}");
        stats.Record(-1, _sent++, request, reply, verdict);
    }

    private static string CidrOf(string poolId) =>
        poolId.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? poolId[(slash + 1)..] : poolId.ToString(CultureInfo.InvariantCulture);
}
