using System.Globalization;
using System.Text;
using DockerNetPlugin.Benchmarks.Beds;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Benchmarks.Multicast;

/// <summary>
/// Head-end replication on a <c>-o dnp.multicast=true</c> network across three simulated hosts: a container on h1 sends
/// UDP datagrams as fast as it can for a few seconds to a multicast group joined by containers on h2 and h3, and, in the
/// same run, to one of them by unicast. Datagrams/s delivered (counted by each receiver, distinct sequence numbers) and
/// lost. The sender and receivers are python3 in the containers' network namespaces (<see cref="DatagramProbe"/>).
/// </summary>
internal sealed class MulticastBenchmark : IBenchmark
{
    private const int Rounds = 3;
    private const double Seconds = 5;
    private const int Payload = 512;
    private const int Port = 5400;
    private const string Network = "mcb";
    private const string Group = "239.7.7.7";
    private static readonly string[] s_ips = ["10.51.0.11", "10.51.0.12", "10.51.0.13"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "multicast";

    public string Title => "multicast: datagrams/s delivered by head-end replication to two remote receivers vs unicast to one";

    public async Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken)
    {
        await using var bed = await BenchBed.StartAsync(hosts: 3, etcd: true, cancellationToken);
        var plugins = new List<PluginProcess>();
        foreach (var (host, i) in bed.Hosts.Select((h, i) => (h, i)))
        {
            plugins.Add(await BenchBed.StartPluginAsync(host, BenchBed.DefaultDriver, null, cancellationToken));
            await host.CreateDnpNetworkAsync(BenchBed.DefaultDriver, Network, "10.51.0.0/24", 7101, cancellationToken, "-o", "dnp.multicast=true");
            await host.RunSleeperAsync($"mcb-{i + 1}", Network, s_ips[i], cancellationToken);
        }
        await WaitForFloodAsync(bed.Hosts[0], plugins[0], cancellationToken);

        var multicast = new Contender("multicast to 239.7.7.7, receivers on h2 and h3 (head-end replication)", [1, 2], Group);
        var unicast = new Contender("unicast to the receiver on h2", [1], s_ips[1]);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var contender in round % 2 == 0 ? new[] { multicast, unicast } : [unicast, multicast])
            {
                Console.WriteLine($"  round {round + 1}: {contender.Label}");
                contender.Results.Add(await RunOnceAsync(bed, contender, cancellationToken));
            }
        }

        return new BenchmarkSection(Render(multicast, unicast));
    }

    private static async Task<RoundResult> RunOnceAsync(BenchBed bed, Contender contender, CancellationToken ct)
    {
        var group = contender.Destination == Group ? Group : null;
        var receivers = new List<Task<DatagramProbe.Received>>();
        foreach (var i in contender.Receivers)
        {
            receivers.Add(await DatagramProbe.StartReceiverAsync(bed.Hosts[i], $"mcb-{i + 1}", s_ips[i], Port, group,
                TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(Seconds + 30), ct));
        }
        var sent = await DatagramProbe.SendAsync(bed.Hosts[0], "mcb-1", s_ips[0], contender.Destination, Port, 0, TimeSpan.Zero, Seconds, Payload, ct);
        return new RoundResult(sent, await Task.WhenAll(receivers));
    }

    /// <summary>h1's vxlan0 holds a flood entry for h2 and for h3 before anything is measured.</summary>
    private static async Task WaitForFloodAsync(SimHost host, PluginProcess plugin, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var fdb = (await host.ExecAsync(["nsenter", "--net=" + plugin.OverlayNamespacePath(Network), "bridge", "fdb", "show", "dev", "vxlan0"], ct)).StdOut;
            if (fdb.Split('\n').Count(l => l.StartsWith("00:00:00:00:00:00 dst ", StringComparison.Ordinal)) == 2)
                return;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"h1's vxlan0 never got two flood entries: {fdb}");
            await Task.Delay(200, ct);
        }
    }

    private static string Render(Contender multicast, Contender unicast)
    {
        var text = new StringBuilder();
        text.Append(Inv, $"""
            Three simulated hosts (own network namespaces and dockerd, joined by an underlay bridge) and a real etcd; one dnp
            network with `-o dnp.multicast=true` (manual mode), a container on each host. h1's vxlan0 holds one flood entry
            (`00:00:00:00:00:00 dst VTEP self permanent`) per other host. The busybox image has no multicast tools, so a
            python3 sender and receivers run **inside the containers' network namespaces** (`nsenter -t <container pid> -n`):
            the sender (h1) binds to the overlay interface and sends {Payload}-byte UDP datagrams as fast as one Python loop
            can for {Seconds:F0} s, to group {Group} (joined by the containers on h2 and h3) or by unicast to the one on h2; each
            receiver counts distinct sequence numbers. {Rounds} rounds, alternating order; the table shows the round with the
            most datagrams delivered, and the median of all rounds in brackets. CPU: 2 cores shared by the sender, both
            receivers, every host's kernel (encapsulation, two copies per multicast datagram) and everything else.

            | traffic | datagrams sent/s | delivered/s per receiver | delivered/s, all receivers | lost |
            |---|---:|---:|---:|---:|

            """);
        foreach (var c in new[] { multicast, unicast })
        {
            var best = c.Results.MaxBy(r => r.DeliveredPerSecond)!;
            text.Append(Inv, $"| {c.Label} | {best.SentPerSecond:N0} ({Stats.Median(c.Results.Select(r => r.SentPerSecond).ToList()):N0}) | ");
            text.Append(string.Join(" / ", best.Received.Select(r => (r.Distinct / best.Sent.Seconds).ToString("N0", Inv))));
            text.Append(Inv, $" | {best.DeliveredPerSecond:N0} ({Stats.Median(c.Results.Select(r => r.DeliveredPerSecond).ToList()):N0}) | {best.Lost:P1} |\n");
        }

        var m = multicast.Results.Max(r => r.DeliveredPerSecond);
        var u = unicast.Results.Max(r => r.DeliveredPerSecond);
        var mSent = multicast.Results.Max(r => r.SentPerSecond);
        var uSent = unicast.Results.Max(r => r.SentPerSecond);
        text.Append(Inv, $"""

            - Delivered datagrams/s, multicast to two remote receivers ÷ unicast to one: **{m / u:F2}×** (best rounds); the sender
              managed {mSent / uSent:F2}× the unicast send rate while sending multicast (each multicast datagram leaves h1 twice, once
              per remote host, so {2 * mSent:N0} VXLAN packets/s left h1's underlay against {uSent:N0}).
            - Head-end replication costs one encapsulated copy per remote host on the sender's uplink and CPU: fine for discovery,
              clustering and modest streams, not for high-rate media to many hosts (README, Multicast).

            """);
        return text.ToString();
    }

    private sealed record Contender(string Label, int[] Receivers, string Destination)
    {
        public List<RoundResult> Results { get; } = [];
    }

    private sealed record RoundResult(DatagramProbe.Sent Sent, DatagramProbe.Received[] Received)
    {
        public double SentPerSecond => Sent.Datagrams / Sent.Seconds;

        public double DeliveredPerSecond => Received.Sum(r => r.Distinct) / Sent.Seconds;

        public double Lost => 1 - (double)Received.Sum(r => r.Distinct) / (Sent.Datagrams * Received.Length);
    }
}
