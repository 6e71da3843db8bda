using System.Globalization;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// One sender: its own seeded <see cref="Random"/>, its own networks and subnets; 45 % of its requests are
/// mutated, the rest structured. Worker 0 also checks the status API's invariants every 50 requests.
/// </summary>
internal sealed class FuzzWorker(int worker, int count, FuzzOptions options, PluginClient client, ObjectLedger ledger, FuzzStats stats)
{
    private const double MutatedShare = 0.45;
    private const int ProbeEvery = 50;

    /// <summary>Runs until <c>count</c> requests are sent; returns why it stopped early (socket gone), or null.</summary>
    public async Task<string?> RunAsync(CancellationToken ct)
    {
        var rng = new Random(unchecked((options.Seed * 7919) + (worker * 104_729)));
        var generator = new StructuredGenerator(worker, rng);
        for (var i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var request = rng.Chance(MutatedShare) ? Mutator.Next(rng, generator) : generator.Next();
            var reply = await client.SendAsync(request.Method, request.Path, request.Body, ct).ConfigureAwait(false);
            var verdict = ReplyValidator.Judge(request, reply);
            request.OnReply?.Invoke(verdict);
            ledger.Observe(request, verdict);
            stats.Record(worker, i, request, reply, verdict);
            if (!reply.Answered && !await IsAliveAsync(ct).ConfigureAwait(false))
                return $"worker {worker}: the plugin stopped answering at request {i} ({request.Method} {request.Path}, {request.Note}): {reply.TransportError}";
            if (worker == 0 && i % ProbeEvery == ProbeEvery - 1)
                await CheckInvariantsAsync(i, ct).ConfigureAwait(false);
            if (worker == 0 && options.Progress is { } progress && i % 1000 == 999)
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {stats.Sent} sent, {stats.FindingCount} findings")).ConfigureAwait(false);
        }
        return null;
    }

    private async Task<bool> IsAliveAsync(CancellationToken ct)
    {
        var reply = await client.PostAsync(PluginApi.Activate, [], ct).ConfigureAwait(false);
        return reply.Answered;
    }

    private async Task CheckInvariantsAsync(int index, CancellationToken ct)
    {
        var (networks, problem) = await StatusProbe.NetworksAsync(client, ct).ConfigureAwait(false);
        if (problem is not null)
            stats.RecordInvariant(worker, index, problem);
        foreach (var violation in StatusProbe.Violations(networks ?? []))
            stats.RecordInvariant(worker, index, violation);
    }
}
