using System.Security.Cryptography;
using System.Text.Json;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>
/// A real three-member etcd cluster on loopback (three <see cref="LoopbackEtcd"/> members, Raft between them): find the
/// leader, kill members (SIGKILL, data kept) and start them again. No xunit here, as in <see cref="LoopbackEtcd"/>.
/// </summary>
public class LoopbackEtcdCluster
{
    private readonly string _token = "dnpt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private IReadOnlyList<LoopbackEtcd> _members = [];

    /// <summary>The members, m1 first.</summary>
    public IReadOnlyList<LoopbackEtcd> Members => _members;

    /// <summary>Every member's client URL, m1 first.</summary>
    public IReadOnlyList<Uri> ClientUrls => [.. _members.Select(m => m.ClientUrl)];

    /// <summary>Picks ports for three members, starts them together and waits until each is healthy.</summary>
    public async Task StartNewAsync(int size = 3)
    {
        var ports = Enumerable.Range(1, size).Select(_ =>
        {
            var m = new LoopbackEtcd();
            m.AllocatePorts();
            return m;
        }).ToList();
        var initial = string.Join(',', ports.Select((m, i) => $"m{i + 1}={m.PeerUrl}"));
        _members = [.. ports.Select((m, i) => new LoopbackEtcd { Name = $"m{i + 1}", Cluster = (initial, _token) }.WithPortsOf(m))];
        foreach (var member in _members)
            member.Launch();
        await Task.WhenAll(_members.Select(m => m.WaitHealthyAsync()));
    }

    /// <summary>The member all running members name as leader, once they agree (an election may be under way).</summary>
    public async Task<LoopbackEtcd> LeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var seen = "";
        while (DateTime.UtcNow < deadline)
        {
            var running = _members.Where(m => m.IsRunning).ToList();
            var statuses = await Task.WhenAll(running.Select(m => StatusAsync(http, m)));
            seen = string.Join("; ", running.Select((m, i) => $"{m.Name}: {statuses[i]?.ToString() ?? "no answer"}"));
            if (statuses.Select(s => s?.Leader ?? 0).Distinct().ToList() is [var leader] && leader != 0
                && running.Where((_, i) => statuses[i]!.Value.Self == leader).FirstOrDefault() is { } found)
                return found;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"the members did not agree on a leader within 30 s ({seen})");
    }

    /// <summary>Client URLs with <paramref name="first"/> first (the member a new client talks to), then the others.</summary>
    public IReadOnlyList<Uri> ClientUrlsStartingWith(LoopbackEtcd first) => [first.ClientUrl, .. _members.Where(m => m != first).Select(m => m.ClientUrl)];

    /// <summary>Kills a member (SIGKILL); its data stays.</summary>
    public Task KillAsync(LoopbackEtcd member) => member.StopAsync();

    /// <summary>Starts stopped members together (two can form a quorum) and waits until each is healthy.</summary>
    public async Task StartAsync(params LoopbackEtcd[] members)
    {
        foreach (var member in members.Where(m => !m.IsRunning))
            member.Launch();
        await Task.WhenAll(members.Select(m => m.WaitHealthyAsync()));
    }

    /// <summary>Starts every stopped member (a test's cleanup).</summary>
    public Task HealAsync() => StartAsync([.. _members.Where(m => !m.IsRunning)]);

    /// <summary>Kills every member and removes their data.</summary>
    public async Task StopAndDeleteAsync()
    {
        foreach (var member in _members)
            await member.StopAndDeleteAsync();
    }

    private static async Task<(ulong Self, ulong Leader)?> StatusAsync(HttpClient http, LoopbackEtcd member)
    {
        try
        {
            using var response = await http.PostAsync(new Uri(member.ClientUrl, "/v3/maintenance/status"), new StringContent("{}"));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            // int64 fields are strings on the gateway, zero fields are left out.
            var self = ulong.Parse(json.RootElement.GetProperty("header").GetProperty("member_id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var leader = json.RootElement.TryGetProperty("leader", out var l) ? ulong.Parse(l.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return (self, leader);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
