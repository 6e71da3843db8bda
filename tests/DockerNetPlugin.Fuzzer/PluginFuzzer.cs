using System.Diagnostics;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// The fuzzer: <see cref="FuzzOptions.Parallel"/> workers send <see cref="FuzzOptions.Count"/> structured and mutated
/// requests, every reply is judged (<see cref="ReplyValidator"/>), then the closing phase deletes what the fuzz made
/// and looks for leftovers.
/// </summary>
public static class PluginFuzzer
{
    public static async Task<FuzzReport> RunAsync(FuzzOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallel, 1);
        var started = Stopwatch.GetTimestamp();
        using var client = new PluginClient(options.Socket, options.CallTimeout);
        var ledger = new ObjectLedger();
        var stats = new FuzzStats();
        string? aborted = null;

        var first = await client.PostAsync(PluginApi.Activate, [], ct).ConfigureAwait(false);
        if (!first.Answered)
        {
            aborted = $"the plugin does not answer on {options.Socket}: {first.TransportError}";
        }
        else
        {
            var workers = Enumerable.Range(0, options.Parallel)
                .Select(w => new FuzzWorker(w, (options.Count / options.Parallel) + (w < options.Count % options.Parallel ? 1 : 0), options, client, ledger, stats).RunAsync(ct))
                .ToList();
            aborted = (await Task.WhenAll(workers).ConfigureAwait(false)).FirstOrDefault(r => r is not null);
        }

        IReadOnlyList<string> leaks = [];
        var closing = new ClosingPhase(client, ledger, stats);
        if (aborted is null && !options.SkipCleanup)
        {
            if (options.Progress is { } progress)
                await progress.WriteLineAsync($"closing phase: {ledger.Networks.Count} networks, {ledger.Endpoints.Count} endpoints, {ledger.PoolHolds.Count} pools, {ledger.Addresses.Count} addresses").ConfigureAwait(false);
            leaks = await closing.RunAsync(ct).ConfigureAwait(false);
        }
        var alive = (await client.PostAsync(PluginApi.Activate, [], ct).ConfigureAwait(false)).Answered;
        var (methods, findings, findingCount, p50, p99, max) = stats.Snapshot();
        return new FuzzReport
        {
            Options = options,
            Sent = stats.Sent,
            ClosingRequests = closing.Sent,
            Methods = methods,
            FindingCount = findingCount,
            Findings = findings,
            Leaks = leaks,
            Aborted = aborted,
            AliveAtEnd = alive,
            Duration = Stopwatch.GetElapsedTime(started),
            LatencyMs = (p50, p99, max),
            Slowest = stats.Slowest(),
        };
    }
}
