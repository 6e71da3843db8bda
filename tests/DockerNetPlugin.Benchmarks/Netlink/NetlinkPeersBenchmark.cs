using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DockerNetPlugin.Netlink;
using DockerNetPlugin.Netlink.Model;

namespace DockerNetPlugin.Benchmarks.Netlink;

/// <summary>
/// Programs 10,000 ARP + 10,000 FDB entries into a fresh vxlan device in a throwaway namespace, once with
/// <see cref="RtnlHandle.NeighborReplaceMany"/>/<see cref="RtnlHandle.FdbReplaceMany"/> and once with
/// `ip -batch`/`bridge -batch` (the same entries), several times, alternating; reports medians and the ratio.
/// Target: our layer at least as fast as iproute2's batch mode.
/// </summary>
internal sealed class NetlinkPeersBenchmark : IBenchmark
{
    private const int Peers = 10_000;
    private const int Repetitions = 5;
    private const string Device = "vxlan0";
    private const uint Vni = 4242;

    public string Name => "netlink-peers";

    public string Title => "netlink-peers: 10,000 neighbour + 10,000 FDB entries into a vxlan device";

    public Task<BenchmarkSection> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Run(cancellationToken));

    private static BenchmarkSection Run(CancellationToken cancellationToken)
    {
        var prefix = "dnpb" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var nsName = prefix + "-peers";
        var nsPath = "/run/netns/" + nsName;
        var work = Directory.CreateTempSubdirectory(prefix);
        var peers = new PeerSet(Peers);
        try
        {
            using var ns = NetNs.Create(nsPath);
            using var rtnl = RtnlHandle.OpenIn(ns);
            var neighborFile = Path.Combine(work.FullName, "neigh.batch");
            var fdbFile = Path.Combine(work.FullName, "fdb.batch");
            File.WriteAllLines(neighborFile, peers.NeighborBatch(Device));
            File.WriteAllLines(fdbFile, peers.FdbBatch(Device));

            // One unmeasured round of each warms the JIT, the page cache and the kernel's allocators.
            Ours(rtnl, peers, batched: true);
            OneByOne(rtnl, peers);
            Iproute2(rtnl, nsName, neighborFile, fdbFile, peers.Count);

            var ours = new List<(double Neighbors, double Fdb)>();
            var oneByOne = new List<(double Neighbors, double Fdb)>();
            var iproute2 = new List<(double Neighbors, double Fdb)>();
            for (var rep = 0; rep < Repetitions; rep++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ours.Add(Ours(rtnl, peers, batched: true));
                oneByOne.Add(OneByOne(rtnl, peers));
                iproute2.Add(Iproute2(rtnl, nsName, neighborFile, fdbFile, peers.Count));
            }

            return new BenchmarkSection(Render(ours, oneByOne, iproute2));
        }
        finally
        {
            NetNs.Delete(nsPath);
            work.Delete(recursive: true);
        }
    }

    private static (double Neighbors, double Fdb) OneByOne(RtnlHandle rtnl, PeerSet peers) => Ours(rtnl, peers, batched: false);

    private static (double Neighbors, double Fdb) Ours(RtnlHandle rtnl, PeerSet peers, bool batched)
    {
        var index = FreshDevice(rtnl);
        var neighbors = peers.Neighbors(index);
        var fdb = peers.Fdb(index);
        var clock = Stopwatch.StartNew();
        if (batched)
        {
            rtnl.NeighborReplaceMany(neighbors);
        }
        else
        {
            neighbors.ForEach(rtnl.NeighborReplace);
        }

        var neighborMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        if (batched)
        {
            rtnl.FdbReplaceMany(fdb);
        }
        else
        {
            fdb.ForEach(rtnl.FdbReplace);
        }

        var fdbMs = clock.Elapsed.TotalMilliseconds;
        Verify(rtnl, index, peers.Count, "ours");
        rtnl.LinkDelete(index);
        return (neighborMs, fdbMs);
    }

    private static (double Neighbors, double Fdb) Iproute2(RtnlHandle rtnl, string nsName, string neighborFile, string fdbFile, int count)
    {
        var index = FreshDevice(rtnl);
        var neighborMs = TimeProcess("ip", "-n", nsName, "-batch", neighborFile);
        var fdbMs = TimeProcess("bridge", "-n", nsName, "-batch", fdbFile);
        Verify(rtnl, index, count, "iproute2");
        rtnl.LinkDelete(index);
        return (neighborMs, fdbMs);
    }

    private static int FreshDevice(RtnlHandle rtnl)
    {
        var index = rtnl.VxlanAdd(new VxlanSpec(Device, Vni, Learning: false, Proxy: true, L2Miss: false, L3Miss: false));
        rtnl.LinkSetUp(index);
        return index;
    }

    /// <summary>Both contenders must really have programmed every entry (read back through our dumps).</summary>
    private static void Verify(RtnlHandle rtnl, int index, int count, string who)
    {
        var neighbors = rtnl.NeighborList(index, AddressFamily.InterNetwork).Count(n => n.State.HasFlag(NeighborState.Permanent));
        var fdb = rtnl.FdbList(index).Count(e => e.Vtep is not null);
        if (neighbors != count || fdb != count)
        {
            throw new InvalidOperationException($"{who}: expected {count} neighbour and FDB entries, found {neighbors} and {fdb}");
        }
    }

    private static double TimeProcess(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        }

        return elapsed;
    }

    private static string Render(List<(double Neighbors, double Fdb)> ours, List<(double Neighbors, double Fdb)> oneByOne, List<(double Neighbors, double Fdb)> iproute2)
    {
        var oursTotal = Stats.Median(ours.Select(r => r.Neighbors + r.Fdb).ToList());
        var ipTotal = Stats.Median(iproute2.Select(r => r.Neighbors + r.Fdb).ToList());
        var ratio = ipTotal / oursTotal;
        var version = RunQuiet("ip", "-V").Trim();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            Each contender programs the same {Peers:N0} ARP entries (`neigh replace IP lladdr MAC nud permanent`) and {Peers:N0}
            FDB entries (`fdb replace MAC dst VTEP self permanent`, {100} VTEPs) into a fresh, up vxlan device (VNI {Vni}) in a
            throwaway network namespace. {Repetitions} measured repetitions after one warm-up round, alternating contenders;
            each run is verified by dumping the device (every entry present). iproute2 times include starting `ip`/`bridge`
            (two processes per run); ours uses an already-open `RtnlHandle` (as the driver does). Medians in milliseconds.

            | contender | neighbours | FDB | total | total min–max | entries/s |
            |---|---:|---:|---:|---:|---:|

            """);
        Row(text, "ours: `RtnlHandle.NeighborReplaceMany` + `FdbReplaceMany` (pipelined)", ours);
        Row(text, "ours, for context: `NeighborReplace` + `FdbReplace` one request (and ACK) at a time", oneByOne);
        Row(text, $"`ip -batch` + `bridge -batch` ({version})", iproute2);
        text.Append(CultureInfo.InvariantCulture, $"""

            Ratio iproute2 / ours pipelined (total medians): **{ratio:F2}×**. Target: ours at least as fast as iproute2's batch mode
            (ratio ≥ 1.00): **{(ratio >= 1.0 ? "met" : "NOT met")}**.
            """);
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, List<(double Neighbors, double Fdb)> runs)
    {
        var totals = runs.Select(r => r.Neighbors + r.Fdb).ToList();
        var total = Stats.Median(totals);
        text.Append(CultureInfo.InvariantCulture,
            $"| {name} | {Stats.Median(runs.Select(r => r.Neighbors).ToList()):F1} | {Stats.Median(runs.Select(r => r.Fdb).ToList()):F1} | {total:F1} | {totals.Min():F1}–{totals.Max():F1} | {2 * Peers / (total / 1000):N0} |\n");
    }

    private static string RunQuiet(string program, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(program, argument) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
