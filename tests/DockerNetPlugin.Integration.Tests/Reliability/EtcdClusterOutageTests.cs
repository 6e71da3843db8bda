using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DockerNetPlugin.Fuzzer;
using DockerNetPlugin.Protocol;
using DockerNetPlugin.Integration.Tests.SingleHost;
using DockerNetPlugin.Testbed;
using Xunit.Abstractions;

namespace DockerNetPlugin.Integration.Tests.Reliability;

/// <summary>
/// The control plane may fail, the data plane must not: three hosts on a real three-member etcd cluster while its leader
/// is killed, a member is cut off from the others, and quorum is lost for 30 s. Checks what users see: pings across
/// hosts, `docker run` results and errors, distinct addresses. Figures (replies lost, time to converge, per-call
/// outage behaviour) go to the test output for RELIABILITY.md.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class EtcdClusterOutageTests(EtcdClusterFixture fixture, ITestOutputHelper output) : IClassFixture<EtcdClusterFixture>
{
    /// <summary>How often a test retries a failed `docker run` (a call in flight when the leader died may fail once).</summary>
    private const int RunAttempts = 3;

    /// <summary>Docker gives a plugin call 30 s (moby pkg/plugins defaultTimeOut); an outage must be reported well inside it.</summary>
    private static readonly TimeSpan s_failFast = TimeSpan.FromSeconds(15);

    private static PluginJsonContext Json => PluginJsonContext.Default;

    private IReadOnlyList<HostScenario> Hosts => [.. fixture.Bed.Hosts.Select(h => new HostScenario(h))];

    private EtcdCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task LeaderKilledWhileContainersStartOnThreeHosts_EveryRunSucceedsWithinTheRetry_AddressesDistinct_AllConverge()
    {
        const string Net = "lk";
        await CreateNetworkAsync(Net, "10.61.0.0/24");
        var names = Hosts.SelectMany((h, i) => Enumerable.Range(1, 4).Select(n => (Host: h, Name: $"lk-{i + 1}-{n}"))).ToList();
        try
        {
            var leader = await Cluster.FindLeaderAsync();
            var runs = names.Select(c => RunWithRetryAsync(c.Host, c.Name, Net)).ToList();
            await Task.Delay(1500);
            await Cluster.KillAsync(leader);
            output.WriteLine($"killed the leader {leader.Name} while {names.Count} containers were starting");
            var results = await Task.WhenAll(runs);

            var retried = results.Where(r => r.Attempts > 1).ToList();
            output.WriteLine($"{results.Count(r => r.Succeeded)} of {results.Length} docker runs succeeded; {retried.Count} needed a retry (bound: {RunAttempts} attempts)");
            foreach (var r in results.SelectMany(r => r.Errors).Distinct().Take(10))
                output.WriteLine("  failed attempt: " + r);
            Assert.All(results, r => Assert.True(r.Succeeded, $"docker run failed {RunAttempts} times: {string.Join(" | ", r.Errors)}"));

            var ips = await Task.WhenAll(names.Select(c => c.Host.IpOfAsync(c.Name, Net)));
            Assert.Equal(ips.Length, ips.Distinct().Count());
            await AssertConvergedAsync(Net, names.Where(c => c.Name.EndsWith("-1", StringComparison.Ordinal)).Select(c => c.Name).ToList(), ips.Where((_, i) => names[i].Name.EndsWith("-4", StringComparison.Ordinal)).ToList());
        }
        finally
        {
            await Cluster.HealAsync();
            await RemoveAsync(Net, names.Select(c => c.Name));
        }
    }

    [Fact]
    public async Task MemberCutOffFromTheOthers_OverlayKeepsWorking_NewContainersConverge()
    {
        const string Net = "cut";
        await CreateNetworkAsync(Net, "10.62.0.0/24");
        string[] names = ["cut-1", "cut-2", "cut-3", "cut-1b", "cut-3b"];
        try
        {
            await Task.WhenAll(Hosts.Select((h, i) => h.RunAsync(names[i], Net)));
            var ip2 = await Hosts[1].IpOfAsync("cut-2", Net);
            Assert.True((await Hosts[0].PingEventuallyAsync("cut-1", ip2)).Succeeded, "h1 → h2 before the cut");

            // Every plugin talks to the first member of DNP_STORE first: cut that one off.
            var member = Cluster.Members[0];
            var wasLeader = (await Cluster.FindLeaderAsync()) == member;
            var pings = Hosts[0].ExecAsync("cut-1", "ping", "-i", "0.1", "-c", "300", "-W", "5", ip2); // 30 s
            await Task.Delay(2000);
            await Cluster.CutOffAsync(member);
            output.WriteLine($"cut off {member.Name} (the leader: {wasLeader}); the other two have a leader: {(await Cluster.FindLeaderAsync()).Name}");

            var clock = Stopwatch.StartNew();
            var runs = await Task.WhenAll(RunWithRetryAsync(Hosts[0], "cut-1b", Net), RunWithRetryAsync(Hosts[2], "cut-3b", Net));
            output.WriteLine($"while {member.Name} was cut off: docker run on h1 and h3 took {clock.Elapsed.TotalSeconds:F1} s; attempts {runs[0].Attempts} and {runs[1].Attempts}");
            Assert.All(runs, r => Assert.True(r.Succeeded, $"docker run failed {RunAttempts} times: {string.Join(" | ", r.Errors)}"));
            var ip3b = await Hosts[2].IpOfAsync("cut-3b", Net);
            var ping = await Hosts[0].PingEventuallyAsync("cut-1b", ip3b);
            output.WriteLine($"new containers converged {clock.Elapsed.TotalSeconds:F1} s after the cut");
            Assert.True(ping.Succeeded, "a new container on h1 reaches a new one on h3 while a member is cut off");

            var result = await pings;
            var (sent, received) = PingRun.Counts(result);
            output.WriteLine($"pings h1 → h2 across the cut: {sent} sent, {received} answered, {sent - received} lost");
            Assert.True(sent == 300 && received == 300, "every reply arrives: " + PingRun.Summary(result));
        }
        finally
        {
            await Cluster.HealAsync();
            await RemoveAsync(Net, names);
        }
    }

    [Fact]
    public async Task QuorumLostFor30s_PingsEvery100msAllAnswered_DockerRunFailsFastNamingTheStore_AllResumeAfter()
    {
        const string Net = "ql";
        await CreateNetworkAsync(Net, "10.63.0.0/24");
        string[] names = ["ql-1", "ql-2", "ql-3", "ql-new", "ql-after"];
        try
        {
            await Task.WhenAll(Hosts.Select((h, i) => h.RunAsync(names[i], Net)));
            var ip2 = await Hosts[1].IpOfAsync("ql-2", Net);
            var ip3 = await Hosts[2].IpOfAsync("ql-3", Net);
            Assert.True((await Hosts[0].PingEventuallyAsync("ql-1", ip2)).Succeeded, "h1 → h2 before the outage");
            Assert.True((await Hosts[1].PingEventuallyAsync("ql-2", ip3)).Succeeded, "h2 → h3 before the outage");

            var pings = new[]
            {
                Hosts[0].ExecAsync("ql-1", "ping", "-i", "0.1", "-c", "450", "-W", "5", ip2), // 45 s
                Hosts[1].ExecAsync("ql-2", "ping", "-i", "0.1", "-c", "450", "-W", "5", ip3),
            };
            await Task.Delay(3000);
            // The first member (every plugin's first choice) stays up without a leader; the other two stop.
            var stopped = Cluster.Members.Skip(1).ToArray();
            await Task.WhenAll(stopped.Select(Cluster.StopMemberAsync));
            var outage = Stopwatch.StartNew();

            var started = Stopwatch.StartNew();
            var refused = await Hosts[0].Host.DockerAsync(["run", "-d", "--name", "ql-new", "--network", Net, HostScenario.Image, "sleep", "3600"], CancellationToken.None, TimeSpan.FromSeconds(120));
            var refusedAfter = started.Elapsed;
            output.WriteLine($"docker run without quorum failed after {refusedAfter.TotalSeconds:F1} s: {refused.StdErr.Trim()}");
            Assert.False(refused.Succeeded, "docker run must fail while the store has no quorum");
            Assert.Contains("store", refused.StdErr, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(Cluster.Members[0].Address.ToString(), refused.StdErr, StringComparison.Ordinal);
            Assert.True(refusedAfter < s_failFast, $"docker run must fail well inside Docker's 30 s, took {refusedAfter.TotalSeconds:F1} s");

            await Task.Delay(TimeSpan.FromSeconds(30) - outage.Elapsed);
            await Cluster.StartMemberAsync(stopped);
            var back = Stopwatch.StartNew();
            await Hosts[0].RemoveAsync(["ql-new"]);
            var after = await RunWithRetryAsync(Hosts[2], "ql-after", Net, attempts: 30);
            Assert.True(after.Succeeded, "docker run after the outage: " + string.Join(" | ", after.Errors));
            var ipAfter = await Hosts[2].IpOfAsync("ql-after", Net);
            var reached = await Hosts[0].PingEventuallyAsync("ql-1", ipAfter);
            output.WriteLine($"quorum back: a new container on h3 ran after {after.Attempts} attempt(s) and h1 reached it {back.Elapsed.TotalSeconds:F1} s after the members were healthy");
            Assert.True(reached.Succeeded, "h1 reaches a container started on h3 after the outage");

            var results = await Task.WhenAll(pings);
            foreach (var (result, what) in results.Zip(new[] { "h1 → h2", "h2 → h3" }))
            {
                var (sent, received) = PingRun.Counts(result);
                output.WriteLine($"pings {what} across the outage: {sent} sent, {received} answered, {sent - received} lost");
                Assert.True(sent == 450 && received == 450, $"every reply arrives ({what}): " + PingRun.Summary(result));
            }
        }
        finally
        {
            await Cluster.HealAsync();
            await RemoveAsync(Net, names);
        }
    }

    /// <summary>
    /// Item 4 of issue 18: every plugin call Docker makes around a container answers during a lost quorum, either from
    /// what the host knows or with an error naming the store, well inside Docker's 30 s: right after quorum is lost, and
    /// again once the host's lease (TTL 10 s) has lapsed and the plugin keeps trying to renew it.
    /// </summary>
    [Fact]
    public async Task QuorumLost_EveryPluginCallAnswersFast_SucceedingLocallyOrNamingTheStore()
    {
        var stopped = Cluster.Members.Skip(1).ToArray();
        await PluginCallsDuringOutageAsync(Hosts[0], "pc", 64, () => Task.WhenAll(stopped.Select(Cluster.StopMemberAsync)), Cluster.HealAsync);
    }

    /// <summary>
    /// The same calls while this host alone is cut off from every member (its packets to port 2379 dropped, so nothing
    /// answers or refuses: each attempt waits for its timeout), the case of a host behind a broken firewall.
    /// Leave and DeleteEndpoint succeed on their local work and withdraw the record in the background; Join publishes in
    /// the background; the IPAM calls fail naming the store after DNP_STORE_TIMEOUT (5 s), not the store's 15 s budget.
    /// </summary>
    [Fact]
    public async Task HostCutOffFromEveryMember_EveryPluginCallAnswersFast_SucceedingLocallyOrNamingTheStore()
    {
        var host = Hosts[1];
        string[] rule = ["OUTPUT", "-p", "tcp", "--dport", EtcdServer.ClientPort.ToString(CultureInfo.InvariantCulture), "-j", "DROP"];
        await PluginCallsDuringOutageAsync(
            host, "pd", 66,
            async () => (await host.Host.ExecAsync(["iptables", "-w", "-I", .. rule], CancellationToken.None)).EnsureSuccess(),
            async () => await host.Host.ExecAsync(["iptables", "-w", "-D", .. rule], CancellationToken.None));
    }

    /// <summary>
    /// Drives RequestAddress, ReleaseAddress, CreateEndpoint, Join, Leave and DeleteEndpoint over the plugin socket as
    /// Docker does (on endpoints and addresses made before the outage, and on new ones), 2 s into the outage and again
    /// after 14 s (the lease has lapsed); each must succeed or fail naming the store, well inside Docker's 30 s.
    /// </summary>
    private async Task PluginCallsDuringOutageAsync(HostScenario host, string net, int octet, Func<Task> startOutage, Func<Task> endOutage)
    {
        var networkId = await host.CreateNetworkAsync(net, "--subnet", $"10.{octet}.0.0/24", "-o", "dnp.network=" + net, "--ipam-opt", "dnp.network=" + net);
        using var plugin = new PluginClient(host.Host.PluginSocketPath, TimeSpan.FromSeconds(60));
        var calls = new PluginCalls(plugin, networkId);
        var ended = false;
        try
        {
            var pool = await calls.RequestPoolAsync($"10.{octet + 1}.0.0/24");
            var made = new List<(string Address, string Endpoint)>();
            for (var i = 0; i < 2; i++)
            {
                var endpoint = calls.NewEndpointId();
                await calls.CreateEndpointAsync(endpoint, $"10.{octet}.0.{200 + i}/24");
                await calls.JoinAsync(endpoint);
                made.Add((await calls.RequestAddressAsync(pool), endpoint));
            }

            await startOutage();
            var outage = Stopwatch.StartNew();
            await Task.Delay(2000); // a member left without peers notices it has no leader
            var outcomes = new List<CallOutcome>();
            var joinedDuring = new List<string>();
            foreach (var (when, (held, before), address) in new[] { ("2 s in", made[0], $"10.{octet}.0.210/24"), ("lease lapsed", made[1], $"10.{octet}.0.211/24") })
            {
                if (when == "lease lapsed" && outage.Elapsed < TimeSpan.FromSeconds(14))
                    await Task.Delay(TimeSpan.FromSeconds(14) - outage.Elapsed);
                var fresh = calls.NewEndpointId();
                joinedDuring.Add(fresh);
                outcomes.Add(await calls.TryAsync($"RequestAddress ({when})", "IpamDriver.RequestAddress", PluginCalls.Body(new RequestAddressRequest(pool, "", null), Json.RequestAddressRequest)));
                outcomes.Add(await calls.TryAsync($"ReleaseAddress ({when})", "IpamDriver.ReleaseAddress", PluginCalls.Body(new ReleaseAddressRequest(pool, held), Json.ReleaseAddressRequest)));
                outcomes.Add(await calls.TryAsync($"CreateEndpoint ({when})", "NetworkDriver.CreateEndpoint", calls.CreateEndpointBody(fresh, address)));
                outcomes.Add(await calls.TryAsync($"Join of the new endpoint ({when})", "NetworkDriver.Join", calls.JoinBody(fresh)));
                outcomes.Add(await calls.TryAsync($"Leave of an endpoint joined before ({when})", "NetworkDriver.Leave", calls.EndpointBody(before)));
                outcomes.Add(await calls.TryAsync($"DeleteEndpoint of an endpoint joined before ({when})", "NetworkDriver.DeleteEndpoint", calls.EndpointBody(before)));
            }

            foreach (var o in outcomes)
                output.WriteLine($"{o.Name}: {(o.Error is null ? "succeeded" : "failed")} after {o.Elapsed.TotalSeconds:F1} s{(o.Error is null ? "" : ": " + o.Error)}");
            var storeAddress = Cluster.Members[0].Address.ToString();
            Assert.All(outcomes, o =>
            {
                Assert.True(o.Elapsed < s_failFast, $"{o.Name} took {o.Elapsed.TotalSeconds:F1} s during the outage");
                Assert.True(o.Error is null || (o.Error.Contains("store", StringComparison.OrdinalIgnoreCase) && o.Error.Contains(storeAddress, StringComparison.Ordinal)),
                    $"{o.Name} failed without naming the store: {o.Error}");
            });

            // What Join and Leave left to the background reaches the store once it is back: the endpoints joined during
            // the outage are published, those that left are withdrawn.
            await endOutage();
            ended = true;
            var returned = Stopwatch.StartNew();
            var want = joinedDuring.ToHashSet(StringComparer.Ordinal);
            HashSet<string> records = [];
            var caughtUp = await Eventually.HoldsAsync(async () =>
            {
                var keys = StoreKeys.Endpoints((await Cluster.EtcdctlAsync("get", "--prefix", "--keys-only", StoreKeys.Root)).StdOut, net);
                records = keys.Select(k => k[(k.LastIndexOf('/') + 1)..]).ToHashSet(StringComparer.Ordinal);
                return records.SetEquals(want);
            }, TimeSpan.FromSeconds(60));
            Assert.True(caughtUp, $"endpoint records of {net} after the outage: [{string.Join(", ", records)}], wanted [{string.Join(", ", want)}]");
            output.WriteLine($"deferred publishes and withdraws in the store {returned.Elapsed.TotalSeconds:F1} s after the outage ended");
        }
        finally
        {
            if (!ended)
                await endOutage();
            await calls.CleanUpAsync();
            await host.RemoveAsync([], net);
        }
    }

    /// <summary>A manual-mode network of the same name on every host.</summary>
    private Task CreateNetworkAsync(string name, string subnet) =>
        Task.WhenAll(Hosts.Select(h => h.CreateNetworkAsync(name, "--subnet", subnet, "-o", "dnp.network=" + name, "--ipam-opt", "dnp.network=" + name)));

    /// <summary>Each container in <paramref name="from"/> (one per host) reaches every address in <paramref name="targets"/>.</summary>
    private async Task AssertConvergedAsync(string network, IReadOnlyList<string> from, IReadOnlyList<string> targets)
    {
        foreach (var (container, host) in from.Zip(Hosts))
        {
            foreach (var ip in targets)
                Assert.True((await host.PingEventuallyAsync(container, ip)).Succeeded, $"{container} on {host.Host.Name} reaches {ip} on {network}");
        }
    }

    private async Task RemoveAsync(string network, IEnumerable<string> containers)
    {
        var all = containers.ToArray();
        await Task.WhenAll(Hosts.Select(h => h.RemoveAsync(all, network)));
    }

    /// <summary>`docker run -d` up to <paramref name="attempts"/> times (removing what a failed attempt left), one second apart.</summary>
    private static async Task<RunResult> RunWithRetryAsync(HostScenario host, string name, string network, int attempts = RunAttempts)
    {
        var errors = new List<string>();
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var run = await host.Host.DockerAsync(["run", "-d", "--name", name, "--network", network, HostScenario.Image, "sleep", "3600"], CancellationToken.None, TimeSpan.FromSeconds(180));
            if (run.Succeeded)
                return new RunResult(true, attempt, errors);
            errors.Add(run.StdErr.Trim());
            await host.Host.DockerAsync(["rm", "-f", name], CancellationToken.None, TimeSpan.FromSeconds(60));
            await Task.Delay(1000);
        }
        return new RunResult(false, attempts, errors);
    }

    private sealed record RunResult(bool Succeeded, int Attempts, IReadOnlyList<string> Errors);

    private sealed record CallOutcome(string Name, TimeSpan Elapsed, string? Error);

    /// <summary>The plugin calls Docker makes around a container, sent over the plugin socket; remembers what to undo.</summary>
    private sealed class PluginCalls(PluginClient plugin, string networkId)
    {
        private readonly ConcurrentBag<string> _endpoints = [];
        private readonly ConcurrentBag<(string Pool, string Address)> _addresses = [];
        private readonly ConcurrentBag<string> _pools = [];

        public static byte[] Body<T>(T request, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(request, type);

        public string NewEndpointId()
        {
            var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            _endpoints.Add(id);
            return id;
        }

        public byte[] CreateEndpointBody(string endpointId, string cidr) =>
            Body(new CreateEndpointRequest(networkId, endpointId, new EndpointInterface(cidr, null, null), null), Json.CreateEndpointRequest);

        public byte[] JoinBody(string endpointId) =>
            Body(new JoinRequest(networkId, endpointId, "/var/run/docker/netns/dnpt-" + endpointId[..12], null), Json.JoinRequest);

        public byte[] EndpointBody(string endpointId) => Body(new EndpointRequest(networkId, endpointId), Json.EndpointRequest);

        public async Task<string> RequestPoolAsync(string subnet)
        {
            var reply = await CallAsync("IpamDriver.RequestPool", Body(new RequestPoolRequest("dnp-global", subnet, "", null, false), Json.RequestPoolRequest));
            var id = reply.GetProperty("PoolID").GetString()!;
            _pools.Add(id);
            return id;
        }

        public async Task<string> RequestAddressAsync(string pool)
        {
            var reply = await CallAsync("IpamDriver.RequestAddress", Body(new RequestAddressRequest(pool, "", null), Json.RequestAddressRequest));
            var address = reply.GetProperty("Address").GetString()!.Split('/')[0];
            _addresses.Add((pool, address));
            return address;
        }

        public Task CreateEndpointAsync(string endpointId, string cidr) => CallAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(endpointId, cidr));

        public Task JoinAsync(string endpointId) => CallAsync("NetworkDriver.Join", JoinBody(endpointId));

        /// <summary>One call; its duration and, unless it succeeded, the error it answered (or why it did not answer).</summary>
        public async Task<CallOutcome> TryAsync(string name, string method, byte[] body)
        {
            var reply = await plugin.PostAsync("/" + method, body, CancellationToken.None);
            return new CallOutcome(name, reply.Elapsed, ErrorOf(reply));
        }

        /// <summary>Leaves and deletes every endpoint, releases every address and pool this test made (errors ignored: some are gone already).</summary>
        public async Task CleanUpAsync()
        {
            foreach (var id in _endpoints)
            {
                await plugin.PostAsync("/NetworkDriver.Leave", EndpointBody(id), CancellationToken.None);
                await plugin.PostAsync("/NetworkDriver.DeleteEndpoint", EndpointBody(id), CancellationToken.None);
            }
            foreach (var (pool, address) in _addresses)
                await plugin.PostAsync("/IpamDriver.ReleaseAddress", Body(new ReleaseAddressRequest(pool, address), Json.ReleaseAddressRequest), CancellationToken.None);
            foreach (var pool in _pools)
                await plugin.PostAsync("/IpamDriver.ReleasePool", Body(new ReleasePoolRequest(pool), Json.ReleasePoolRequest), CancellationToken.None);
        }

        private async Task<JsonElement> CallAsync(string method, byte[] body)
        {
            var reply = await plugin.PostAsync("/" + method, body, CancellationToken.None);
            if (ErrorOf(reply) is { } error)
                throw new Xunit.Sdk.XunitException($"{method} failed before the outage: {error}");
            return JsonDocument.Parse(reply.Body).RootElement.Clone();
        }

        private static string? ErrorOf(PluginReply reply)
        {
            if (!reply.Answered)
                return reply.TransportError;
            using var json = JsonDocument.Parse(reply.Body);
            foreach (var field in new[] { "Err", "Error" })
            {
                if (json.RootElement.TryGetProperty(field, out var e) && e.GetString() is { Length: > 0 } text)
                    return text;
            }
            return reply.Status == 200 ? null : $"HTTP {reply.Status}: {Encoding.UTF8.GetString(reply.Body)}";
        }
    }
}
