using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// A real etcd cluster (Debian etcd-server, Raft over the fabric): each member an <see cref="EtcdServer"/> in its own
/// namespace with its own fabric address. Verbs for the failures users meet: find the leader, kill a member
/// (SIGKILL), stop and start members, cut a member off from its peers (while clients still reach it) and restore it.
/// Everything lives in the bed's namespaces and run directory, so the bed's cleanup removes it, also after a failure.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    /// <summary>The firewall rules that cut a member off: Raft traffic in and out of its peer port, nothing else.</summary>
    private static readonly string[][] s_isolationRules =
    [
        ["INPUT", "-p", "tcp", "--dport", EtcdServer.PeerPort.ToString(CultureInfo.InvariantCulture), "-j", "DROP"],
        ["OUTPUT", "-p", "tcp", "--dport", EtcdServer.PeerPort.ToString(CultureInfo.InvariantCulture), "-j", "DROP"],
    ];

    private readonly HashSet<EtcdServer> _isolated = [];

    internal EtcdCluster(IReadOnlyList<(string Netns, IPAddress Address)> nodes, string dataRoot, string logDirectory, string token)
    {
        var names = Enumerable.Range(1, nodes.Count).Select(i => "etcd" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var initial = string.Join(',', nodes.Select((n, i) => $"{names[i]}=http://{n.Address}:{EtcdServer.PeerPort}"));
        Members = [.. nodes.Select((n, i) => new EtcdServer(
            n.Netns, n.Address, Path.Combine(dataRoot, names[i]), Path.Combine(logDirectory, names[i] + ".log"), new EtcdMembership(names[i], initial, token)))];
    }

    /// <summary>The members, etcd1 first.</summary>
    public IReadOnlyList<EtcdServer> Members { get; }

    /// <summary><c>etcd://A:2379,B:2379,C:2379</c>, the DNP_STORE value naming every member.</summary>
    public string StoreUri => "etcd://" + string.Join(',', Members.Select(m => $"{m.Address}:{EtcdServer.ClientPort}"));

    /// <summary>Starts every member together (a new cluster needs a quorum to elect) and waits until each is healthy.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var member in Members)
        {
            member.Launch();
        }

        await Task.WhenAll(Members.Select(m => m.WaitHealthyAsync(cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>
    /// The member every running member names as leader, once they agree (an election may be under way), within
    /// <paramref name="timeout"/> (default 30 s); a <see cref="TestbedException"/> naming what each said otherwise.
    /// Members cut off from the others are not asked: they may still believe in an old leader.
    /// </summary>
    public async Task<EtcdServer> FindLeaderAsync(TimeSpan? timeout = null)
    {
        EtcdServer? leader = null;
        var seen = "";
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        await Poll.UntilAsync(
            async () =>
            {
                var asked = Members.Where(m => m.IsRunning && !_isolated.Contains(m)).ToList();
                var statuses = await Task.WhenAll(asked.Select(StatusAsync)).ConfigureAwait(false);
                seen = string.Join("; ", asked.Select((m, i) => $"{m.Name}: {statuses[i]?.ToString() ?? "no answer"}"));
                var leaders = statuses.Select(s => s?.Leader ?? 0).Distinct().ToList();
                leader = leaders is [var id] && id != 0 ? asked.Where((_, i) => statuses[i]!.Value.Self == id).FirstOrDefault() : null;
                return leader is not null;
            },
            limit,
            () => $"the etcd members did not agree on a leader within {limit.TotalSeconds} s ({seen})",
            CancellationToken.None).ConfigureAwait(false);
        return leader!;
    }

    /// <summary>Kills a member with SIGKILL (its data stays; <see cref="StartMemberAsync"/> brings it back).</summary>
    public Task KillAsync(EtcdServer member) => Own(member).StopAsync(kill9: true);

    /// <summary>Stops a member with SIGTERM.</summary>
    public Task StopMemberAsync(EtcdServer member) => Own(member).StopAsync();

    /// <summary>Starts stopped members again (together, so two returning members can form a quorum) and waits until each is healthy.</summary>
    public async Task StartMemberAsync(params EtcdServer[] members)
    {
        foreach (var member in members.Select(Own).Where(m => !m.IsRunning))
        {
            member.Launch();
        }

        await Task.WhenAll(members.Select(m => m.WaitHealthyAsync(CancellationToken.None))).ConfigureAwait(false);
    }

    /// <summary>Cuts a member off from its peers: Raft traffic to and from its peer port is dropped in its namespace; clients still reach it.</summary>
    public async Task CutOffAsync(EtcdServer member)
    {
        if (!_isolated.Add(Own(member)))
        {
            return;
        }

        foreach (var rule in s_isolationRules)
        {
            (await member.ExecAsync(["iptables", "-w", "-A", .. rule]).ConfigureAwait(false)).EnsureSuccess();
        }
    }

    /// <summary>Undoes <see cref="CutOffAsync"/>.</summary>
    public async Task RestoreAsync(EtcdServer member)
    {
        if (!_isolated.Remove(Own(member)))
        {
            return;
        }

        foreach (var rule in s_isolationRules)
        {
            (await member.ExecAsync(["iptables", "-w", "-D", .. rule]).ConfigureAwait(false)).EnsureSuccess();
        }
    }

    /// <summary>Restores every cut-off member and starts every stopped one (a test's <c>finally</c>).</summary>
    public async Task HealAsync()
    {
        foreach (var member in _isolated.ToList())
        {
            await RestoreAsync(member).ConfigureAwait(false);
        }

        var stopped = Members.Where(m => !m.IsRunning).ToArray();
        if (stopped.Length > 0)
        {
            await StartMemberAsync(stopped).ConfigureAwait(false);
        }
    }

    /// <summary>Runs etcdctl (API v3) against the first running member, e.g. <c>get --prefix dnp/</c>.</summary>
    public Task<CommandResult> EtcdctlAsync(params string[] args) =>
        (Members.FirstOrDefault(m => m.IsRunning && !_isolated.Contains(m)) ?? Members[0]).EtcdctlAsync(args);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Members.Select(m => m.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>This member's ID and the leader ID it knows (0 = none), from <c>etcdctl endpoint status</c>; null when it does not answer.</summary>
    private static async Task<(ulong Self, ulong Leader)?> StatusAsync(EtcdServer member)
    {
        var result = await member.EtcdctlAsync("endpoint", "status", "-w", "json").ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(result.StdOut);
            var status = json.RootElement[0].GetProperty("Status");
            // Zero fields are left out: no "leader" means this member knows none.
            var leader = status.TryGetProperty("leader", out var l) ? l.GetUInt64() : 0;
            return (status.GetProperty("header").GetProperty("member_id").GetUInt64(), leader);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }

    private EtcdServer Own(EtcdServer member) =>
        Members.Contains(member) ? member : throw new ArgumentException($"{member.Name} is not a member of this cluster", nameof(member));
}
